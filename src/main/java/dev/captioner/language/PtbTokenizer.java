package dev.captioner.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Caption tokenizer reproducing the official COCO caption pipeline: Stanford PTBTokenizer 3.4.1 with
 * {@code -preserveLines -lowerCase}, followed by removal of the toolkit's punctuation tokens.
 *
 * <p>The toolkit writes all captions of a set to one file, one per line, and tokenizes that file in one run, so
 * a caption's tokens can depend on the next caption: a single letter keeps its period ("plan b.") unless the
 * next word, possibly the first of the next caption, is one of a few capitalised sentence starters ("the letter
 * J.\nThe sign" -> "j"). {@link #tokenize(List)} takes such a stream and is what scoring must use;
 * {@link #tokenize(String)} is the same for a stream of one caption (nothing follows it).
 *
 * <p>The rules ({@link PtbLexer}) are a clean-room re-derivation from the tokenizer's behaviour (run as a black
 * box, never from its GPL source), checked token for token against the real 3.4.1 jar by
 * {@code PtbTokenizerDifferentialTest}: 20,000 seeded random captions of every kind as one stream, all equal, and
 * the shared fixture's 147 made-up cases. Known differences, all rare:
 * <ul>
 *   <li>a "www." host glued to the text after it: Stanford runs it on across thin and ideographic spaces and
 *       "://" and cuts it after some 34 characters; the generator keeps URL pieces apart for that reason;</li>
 *   <li>seen about 6 times in 100,000 captions with other seeds: "O'o" (one capital letter, an apostrophe, one
 *       letter) is one token there; "l'05" joins digits after "l'"; "AT&amp;T$" keeps the dollar; a run with dots
 *       inside such as "X...m.-r." or "d.5T.x." is one token; "x@.b" is an e-mail address.</li>
 * </ul>
 * Deliberate difference: a line break inside a caption (CR, LF, VT, FF, U+2028, U+2029) is a space here; the
 * toolkit only replaces LF, so there any other line break splits the caption and shifts every later caption
 * onto the wrong image.
 */
public final class PtbTokenizer {

    /**
     * The toolkit's removal list, compared AFTER lowercasing and case-sensitively: that is why the lowercased
     * bracket tokens (-lrb-, -rrb-, ...) survive. Kept verbatim so the quirk stays visible.
     */
    private static final Set<String> REMOVED = Set.of(
            "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
            ".", "?", "!", ",", ":", "-", "--", "...", ";");

    /** Tokens of one caption with the toolkit's punctuation removed, lowercased. */
    public List<String> tokenize(String caption) {
        return tokenize(List.of(caption)).get(0);
    }

    /**
     * Tokens of each caption of a stream, tokenized as the toolkit does it: all captions as one text, one per
     * line, in this order.
     */
    public List<List<String>> tokenize(List<String> captions) {
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < captions.size(); i++) {
            if (i > 0) {
                stream.append('\n');
            }
            appendWithoutLineBreaks(captions.get(i), stream);
        }
        List<List<String>> lines = PtbLexer.lines(stream.toString());
        List<List<String>> tokenized = new ArrayList<>(captions.size());
        for (List<String> line : lines.subList(0, captions.size())) {
            List<String> tokens = new ArrayList<>(line.size());
            for (String token : line) {
                String lower = token.toLowerCase(Locale.ENGLISH);
                if (!REMOVED.contains(lower)) {
                    tokens.add(lower);
                }
            }
            tokenized.add(tokens);
        }
        return tokenized;
    }

    /** The space-joined form the official scorers consume. */
    public String tokenizeToString(String caption) {
        return String.join(" ", tokenize(caption));
    }

    /** The space-joined form of each caption of a stream (see {@link #tokenize(List)}). */
    public List<String> tokenizeToStrings(List<String> captions) {
        return tokenize(captions).stream().map(tokens -> String.join(" ", tokens)).toList();
    }

    /**
     * A caption's own line breaks become spaces: the tokenizer ends a line at each of them, and the toolkit
     * would then shift every later caption onto the wrong image.
     */
    private static void appendWithoutLineBreaks(String caption, StringBuilder stream) {
        for (int i = 0; i < caption.length(); i++) {
            char c = caption.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\u000B' || c == '\u000C' || c == '\u2028'
                    || c == '\u2029';
            stream.append(lineBreak ? ' ' : c);
        }
    }
}
