package dev.captioner.bench;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import javax.imageio.ImageWriteParam;

import dev.captioner.vision.ImageDecoder;

/**
 * Decoding large uploads (not a test): a 6300x6300 16-bit RGB PNG, a 6000x4000 JPEG and a 6300x6300 GIF, all
 * under the default 40-megapixel limit, through {@link ImageDecoder} as the service builds it. For each:
 * seconds per decode (median of repeats after a warm-up), the size of what comes out, the peak heap one decode
 * takes above what the inputs already hold (the heap pools' peaks after a full GC and a reset) and what it
 * allocates in all. Prints one line per image and, last, one JSON line.
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.captioner.bench.DecodeBenchmark [repeats]</pre>
 */
public final class DecodeBenchmark {

    private static final long MAX_PIXELS = 40_000_000;

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("png16_6300x6300", encode(sixteenBitRgb(6300, 6300), "png", null));
        inputs.put("jpeg_6000x4000", encode(photoLike(6000, 4000), "jpeg", 0.9f));
        inputs.put("gif_6300x6300", encode(indexed(6300, 6300), "gif", null));
        ImageDecoder decoder = new ImageDecoder(MAX_PIXELS);
        StringBuilder json = new StringBuilder("{\"isa\":\"" + isa() + "\",\"cpu\":\"" + cpu() + "\",\"cores\":"
                + Runtime.getRuntime().availableProcessors());
        for (Map.Entry<String, byte[]> input : inputs.entrySet()) {
            byte[] bytes = input.getValue();
            long peak = peakHeapOfOneDecode(decoder, bytes);
            long allocated = allocatedByOneDecode(decoder, bytes);
            BufferedImage image = decoder.decode(bytes);
            double[] seconds = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                decoder.decode(bytes);
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            Arrays.sort(seconds);
            double median = seconds[repeats / 2];
            System.out.println(String.format(Locale.ROOT, "%s: %d bytes -> %dx%d in %.3f s (median of %d), peak heap %.1f MiB,"
                    + " allocated %.1f MiB", input.getKey(), bytes.length, image.getWidth(), image.getHeight(), median, repeats,
                    peak / 1048576.0, allocated / 1048576.0));
            json.append(String.format(Locale.ROOT, ",\"%s\":{\"bytes\":%d,\"out\":\"%dx%d\",\"seconds\":%.3f,\"peak_heap_mib\":%.1f,"
                    + "\"allocated_mib\":%.1f}", input.getKey(), bytes.length, image.getWidth(), image.getHeight(), median,
                    peak / 1048576.0, allocated / 1048576.0));
        }
        System.out.println(json.append('}'));
    }

    /** The heap pools' peaks during one decode (a warm-up before it), less what was in use before it. */
    private static long peakHeapOfOneDecode(ImageDecoder decoder, byte[] bytes) {
        decoder.decode(bytes);
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).collect(Collectors.toList());
        System.gc();
        long before = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        decoder.decode(bytes);
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return Math.max(0, peak - before);
    }

    /**
     * Everything one decode allocates on the Java heap, freed or not (HotSpot's per-thread count): finer than
     * the pools' peaks, which move a G1 region (megabytes) at a time. libjpeg's native buffers are in neither.
     */
    private static long allocatedByOneDecode(ImageDecoder decoder, byte[] bytes) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        decoder.decode(bytes);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** Smooth 16-bit gradients, as a scan or a render would be: compressible, so the file stays small. */
    private static BufferedImage sixteenBitRgb(int width, int height) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        int[] row = new int[3 * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[3 * x] = (int) (65535L * x / width);
                row[3 * x + 1] = (int) (65535L * y / height);
                row[3 * x + 2] = ((x / 64 + y / 64) & 1) * 40000;
            }
            raster.setPixels(0, y, width, 1, row);
        }
        return new BufferedImage(model, raster, false, null);
    }

    /** Gradients with some texture, so that the JPEG has detail to code in every block. */
    private static BufferedImage photoLike(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int red = 255 * x / width;
                int green = 255 * y / height;
                int blue = (int) (127 + 127 * Math.sin(x / 9.0) * Math.cos(y / 13.0));
                row[x] = red << 16 | green << 8 | blue;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /** 256 colours in bands and checks: what a GIF of a chart or a drawing holds. */
    private static BufferedImage indexed(int width, int height) {
        byte[] reds = new byte[256];
        byte[] greens = new byte[256];
        byte[] blues = new byte[256];
        for (int i = 0; i < 256; i++) {
            reds[i] = (byte) i;
            greens[i] = (byte) (255 - i);
            blues[i] = (byte) (i * 7);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, reds, greens, blues));
        WritableRaster raster = image.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = (x / 50 + (y / 50) * 3) & 0xFF;
            }
            raster.setSamples(0, y, width, 1, 0, row);
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format, Float quality) {
        return JdkImageWriting.encode(image, format, param -> {
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
        });
    }

    /** The instruction set as bench/run names it (avx512, avx2, other), from /proc/cpuinfo's flags. */
    private static String isa() {
        String flags = cpuinfo("flags");
        List<String> words = Arrays.asList(flags.split("\\s+"));
        String extensions = words.contains("avx512f") ? "avx512" : words.contains("avx2") ? "avx2" : "other";
        return System.getProperty("os.arch") + "/" + extensions;
    }

    private static String cpu() {
        return cpuinfo("model name").replace("\"", "'");
    }

    private static String cpuinfo(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
