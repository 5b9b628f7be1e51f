package dev.captioner.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import dev.captioner.config.Excerpt;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadContentTypeException;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Takes one file field out of a {@code multipart/form-data} body, streaming past the other parts, with every way
 * the body can be wrong answered in words: too many parts, part headers too long, the file over its limit, a
 * body that ends early or has no boundary, a field other than the file (options are query parameters: a form
 * field would otherwise be ignored without a word).
 *
 * @param maxParts          parts the body may have, the file among them
 * @param maxPartHeaderSize bytes of headers one part may have
 */
public record MultipartUpload(int maxParts, int maxPartHeaderSize) {

    /** The bytes of field {@code name}; {@code maxFileSize} and {@code tooLargeType} for the 413 past it. */
    public byte[] file(HttpServletRequest request, String name, long maxFileSize, String tooLargeType)
            throws IOException {
        FilePart file = read(request, name, 1, null, maxFileSize).get(0);
        if (file.overLimit()) {
            throw tooLarge(name, maxFileSize, tooLargeType);
        }
        return file.bytes();
    }

    /** The 413 of a part over its limit: the whole body's refusal in {@link #file}, one entry's after {@link #files}. */
    public static UploadRejectedException tooLarge(String name, long maxFileSize, String tooLargeType) {
        return new UploadRejectedException(413, tooLargeType, "the multipart field '" + name
                + "' is over the limit of " + maxFileSize + " bytes");
    }

    /**
     * One of several files of the same field, in the order they came.
     *
     * @param filename the part's file name, or null when it gave none
     * @param bytes    the file; null when it was over the size limit (read past, not kept)
     */
    public record FilePart(String filename, byte[] bytes) {

        public boolean overLimit() {
            return bytes == null;
        }
    }

    /**
     * Every part of field {@code name}, at most {@code maxFiles} of them (else a 400 of type {@code tooManyType}).
     * A file over {@code maxFileSize} is read past and comes back without its bytes, so that the caller can answer
     * it alone while the others go on; every other way the body can be wrong refuses it whole, as {@link #file}.
     */
    public List<FilePart> files(HttpServletRequest request, String name, int maxFiles, long maxFileSize,
                                String tooManyType) throws IOException {
        return read(request, name, maxFiles, tooManyType, maxFileSize);
    }

    /**
     * Reads the parts of field {@code name}, at most {@code maxFiles} kept; with {@code tooManyType} null, the parts
     * past them are read past (a single file: the first counts), else they refuse the body.
     */
    private List<FilePart> read(HttpServletRequest request, String name, int maxFiles, String tooManyType,
                                long maxFileSize) throws IOException {
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload = parser(request);
        List<FilePart> files = new ArrayList<>();
        int parts = 0;
        Set<String> others = new TreeSet<>();
        try {
            FileItemInputIterator items = upload.getItemIterator(request);
            while (items.hasNext()) {
                FileItemInput item = items.next();
                boolean isFile = name.equals(item.getFieldName());
                if (isFile && files.size() == maxFiles && tooManyType != null) {
                    throw new UploadRejectedException(400, tooManyType, "the multipart body has more than " + maxFiles
                            + " fields '" + name + "'");
                }
                if (++parts > maxParts) {
                    throw new UploadRejectedException(400, "multipart-too-many-parts",
                            "the multipart body has more than " + maxParts + " parts");
                }
                try (InputStream in = item.getInputStream()) {
                    if (isFile && files.size() < maxFiles) {
                        byte[] file = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileSize + 1));
                        files.add(new FilePart(item.getName(), file.length > maxFileSize ? null : file));
                    } else if (!isFile) {
                        others.add(String.valueOf(item.getFieldName()));
                    }
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        } catch (FileUploadException e) {
            throw malformed(e);
        }
        if (!others.isEmpty()) {
            // options are query parameters; a form field would otherwise be silently ignored
            throw new UploadRejectedException(400, "multipart-unexpected-field", "the multipart body may only have"
                    + (maxFiles == 1 ? " the field '" : " fields '") + name
                    + "' (options are query parameters, e.g. ?beamSize=5), not "
                    + others.stream().map(f -> "'" + Excerpt.of(f) + "'").collect(Collectors.joining(", ")));
        }
        if (files.isEmpty()) {
            throw new UploadRejectedException(400, "multipart-field-missing",
                    "the multipart body has no field '" + name + "'");
        }
        return files;
    }

    /** A parser for this request's body, once its Content-Type names a boundary. */
    private JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> parser(HttpServletRequest request) {
        if (!hasBoundary(request.getContentType())) {
            throw new UploadRejectedException(400, "invalid-multipart",
                    "the multipart body's Content-Type has no boundary parameter");
        }
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload = new JakartaServletFileUpload<>();
        upload.setMaxPartHeaderSize(maxPartHeaderSize);
        return upload;
    }

    /** What is wrong with a body the parser gave up on, in words. */
    private UploadRejectedException malformed(FileUploadException e) {
        if (e instanceof FileUploadContentTypeException) {
            return new UploadRejectedException(400, "invalid-multipart", "the body is not multipart/form-data");
        }
        if (e instanceof MultipartInput.FileUploadBoundaryException) {
            return new UploadRejectedException(400, "invalid-multipart",
                    "the multipart body's boundary parameter is too long");
        }
        if (e instanceof FileUploadSizeException) {
            return new UploadRejectedException(400, "multipart-part-headers-too-large",
                    "a part of the multipart body has more than " + maxPartHeaderSize + " bytes of headers");
        }
        return new UploadRejectedException(400, "invalid-multipart",
                "the multipart body is malformed: it ends before its closing boundary, or a part has no header end");
    }

    private static boolean hasBoundary(String contentType) {
        try {
            String boundary = MediaType.parseMediaType(contentType).getParameter("boundary");
            return boundary != null && !boundary.isBlank();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
