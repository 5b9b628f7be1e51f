package dev.captioner.cli;

import dev.captioner.language.PtbTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tokenize}: captions one per line on standard input (UTF-8), each line's tokens out as the COCO caption
 * toolkit's scorers see them: lower-cased, punctuation removed, joined by single spaces. The whole input is one
 * stream, as the toolkit tokenizes a caption set, so a caption's tokens can depend on the line after it.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        description = "Reads captions one per line from standard input (UTF-8) and prints each one tokenized as the "
                + "COCO caption toolkit does it (Stanford PTBTokenizer 3.4.1 with -preserveLines -lowerCase, then its "
                + "punctuation removal): one line out per line in, tokens joined by single spaces.")
final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Standard input unless a test gives another. */
    InputStream input = System.in;

    @Override
    public Integer call() throws IOException {
        String text = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return 0;
        }
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        // Lines end at LF as the toolkit's temp file has them; a CR before it is just a space to the tokenizer.
        List<String> captions = Arrays.asList(text.split("\n", -1));
        PrintWriter out = spec.commandLine().getOut();
        new PtbTokenizer().tokenizeToStrings(captions).forEach(out::println);
        out.flush();
        return 0;
    }
}
