package dev.captioner.language;

import edu.stanford.nlp.process.PTBTokenizer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The real Stanford PTBTokenizer 3.4.1 (a test-scope dependency, never shipped) run exactly as the COCO caption
 * toolkit's {@code tokenizer/ptbtokenizer.py} runs it: every caption on its own line of one temporary file,
 * {@code java -cp stanford-corenlp-3.4.1.jar edu.stanford.nlp.process.PTBTokenizer -preserveLines -lowerCase
 * FILE}, its standard output split into lines, and the toolkit's punctuation tokens removed from each.
 *
 * <p>It runs in a child JVM because its {@code main} prints through the platform charset and keeps no state
 * worth sharing; the child is started with UTF-8 as the toolkit's machines have it.
 */
public final class StanfordPtbTokenizer {

    /** {@code PUNCTUATIONS} of the toolkit's ptbtokenizer.py, compared with the lower-cased tokens. */
    private static final Set<String> PUNCTUATIONS = Set.of("''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
            ".", "?", "!", ",", ":", "-", "--", "...", ";");

    private StanfordPtbTokenizer() {
    }

    /** The toolkit's tokenized form of each caption of the stream, tokens joined by single spaces. */
    public static List<String> tokenize(List<String> captions) {
        try {
            Path file = Files.createTempFile("ptb-stream", ".txt");
            try {
                // ptbtokenizer.py: '\n'.join([c['caption'].replace('\n', ' ') ...])
                Files.writeString(file, String.join("\n", captions.stream().map(c -> c.replace('\n', ' ')).toList()),
                        StandardCharsets.UTF_8);
                List<String> lines = run(file);
                List<String> tokenized = new ArrayList<>(captions.size());
                for (int i = 0; i < captions.size(); i++) {
                    tokenized.add(i < lines.size() ? withoutPunctuation(lines.get(i)) : "");
                }
                return tokenized;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ptbtokenizer.py: ' '.join([w for w in line.rstrip().split(' ') if w not in PUNCTUATIONS]). */
    private static String withoutPunctuation(String line) {
        return String.join(" ", Arrays.stream(line.stripTrailing().split(" ", -1))
                .filter(token -> !PUNCTUATIONS.contains(token)).toList());
    }

    private static List<String> run(Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Dfile.encoding=UTF-8", "-cp", jar(),
                PTBTokenizer.class.getName(), "-preserveLines", "-lowerCase", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("Stanford PTBTokenizer failed with exit " + process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return List.of(new String(output, StandardCharsets.UTF_8).split("\n", -1));
    }

    /** Where the test class path has stanford-corenlp-3.4.1.jar. */
    private static String jar() {
        try {
            return new File(PTBTokenizer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
