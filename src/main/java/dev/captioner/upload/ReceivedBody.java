package dev.captioner.upload;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;

/** A request body that has fully arrived, held in memory; the application reads it as the request's body. */
record ReceivedBody(byte[] bytes) {

    static final String ATTRIBUTE = ReceivedBody.class.getName();

    /** {@code request} as the application sees it: its body is these bytes, all there, never blocking. */
    HttpServletRequest wrap(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {

            private final ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            private final ServletInputStream stream = new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body has already been received");
                }
            };

            @Override
            public ServletInputStream getInputStream() {
                return stream;
            }

            @Override
            public BufferedReader getReader() {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                return new BufferedReader(new InputStreamReader(in, charset));
            }

            /** The container parses no parts: the body is bytes, read by {@link MultipartUpload}. */
            @Override
            public Collection<Part> getParts() {
                return List.of();
            }

            @Override
            public Part getPart(String name) {
                return null;
            }

            @Override
            public int getContentLength() {
                return bytes.length;
            }

            @Override
            public long getContentLengthLong() {
                return bytes.length;
            }
        };
    }
}
