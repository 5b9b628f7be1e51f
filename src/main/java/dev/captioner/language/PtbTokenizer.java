package dev.captioner.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Caption tokenizer reproducing the official COCO caption pipeline: Stanford PTBTokenizer 3.4.1 with
 * {@code -preserveLines -lowerCase}, followed by removal of the toolkit's punctuation tokens.
 *
 * <p>This is a clean-room re-implementation of the PTB lexer rules that matter for captions (contractions,
 * abbreviations, numbers, brackets, quotes, dashes, ellipses), not a port of the GPL original.
 */
public final class PtbTokenizer {

    /**
     * The toolkit's removal list, compared AFTER lowercasing and case-sensitively: that is why the lowercased
     * bracket tokens (-lrb-, -rrb-, ...) survive. Kept verbatim so the quirk stays visible.
     */
    private static final Set<String> REMOVED = Set.of(
            "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
            ".", "?", "!", ",", ":", "-", "--", "...", ";");

    /** Abbreviations whose trailing period the PTB lexer keeps as part of the token. */
    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "mt", "etc", "vs", "inc", "ltd", "corp",
            "ave", "blvd");

    /** Clitic suffixes the lexer splits off a word ("dog's" -> "dog 's"). */
    private static final Pattern CLITIC = Pattern.compile("['\u2019](?:s|m|d|re|ve|ll)(?![\\p{L}\\p{N}])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern NEGATION = Pattern.compile("[nN]['\u2019][tT](?![\\p{L}\\p{N}])");
    private static final Pattern NUMBER = Pattern.compile("\\d*(?:[.:,]\\d+)+|\\d+");
    private static final Pattern DATE_OR_FRACTION =
            Pattern.compile("\\d{1,2}[-/]\\d{1,2}[-/]\\d{2,4}|\\d{1,4}/\\d{1,4}");
    private static final Pattern DECADE = Pattern.compile("['\u2019]\\d0s");
    private static final Pattern TAG = Pattern.compile("[#@][\\p{L}\\p{M}\\p{N}_]+");

    /** Words the PTB lexer splits in two ("cannot" -> "can not", "gonna" -> "gon na"). */
    private static final Set<String> SPLIT_WORDS = Set.of("cannot", "gonna", "gotta", "lemme", "gimme", "wanna");

    /** Tokens with the toolkit's punctuation removed, lowercased. */
    public List<String> tokenize(String caption) {
        List<String> tokens = new ArrayList<>();
        for (String token : lex(normalizeWhitespace(caption))) {
            String lower = token.toLowerCase(Locale.ROOT);
            if (!REMOVED.contains(lower)) {
                tokens.add(lower);
            }
        }
        return tokens;
    }

    /** The space-joined form the official scorers consume. */
    public String tokenizeToString(String caption) {
        return String.join(" ", tokenize(caption));
    }

    /**
     * Every line break (CR, LF, NEL, LS, PS, ...) becomes a space: the official pipeline only replaces LF, so a
     * CR inside a caption shifts every later caption onto the wrong image.
     */
    private static String normalizeWhitespace(String caption) {
        char[] chars = caption.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (isSpace(chars[i])) {
                chars[i] = ' ';
            }
        }
        return new String(chars);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085' || c == '\uFEFF';
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
    }

    private static List<String> lex(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            int cp = s.codePointAt(i);
            if (cp == ' ') {
                i++;
            } else if (isWordChar(cp)) {
                i = lexWord(s, i, out);
            } else {
                i = lexSymbol(s, i, cp, out);
            }
        }
        return out;
    }

    /** Longest match among the lexer's word-like rules, as JFlex does, then clitic handling. */
    private static int lexWord(String s, int start, List<String> out) {
        int end = start;
        if (Character.isDigit(s.charAt(start))) {
            end = Math.max(matchEnd(NUMBER, s, start), matchEnd(DATE_OR_FRACTION, s, start));
        }
        int wordEnd = wordEnd(s, start);
        if (wordEnd > end) {
            end = withKeptPeriod(s, start, wordEnd);
            if (end - start > 1 && isApostrophe(s, end)) {
                Matcher negation = NEGATION.matcher(s).region(end - 1, s.length());
                if (negation.lookingAt()) {
                    // "isn't" -> "is n't", "can't" -> "ca n't": the n belongs to the negation clitic.
                    out.add(s.substring(start, end - 1));
                    out.add("n't");
                    return negation.end();
                }
            }
        }
        String token = s.substring(start, end);
        String lower = token.toLowerCase(Locale.ROOT);
        if (SPLIT_WORDS.contains(lower)) {
            // Every split word divides after its third letter: can|not, gon|na, got|ta, lem|me, gim|me, wan|na.
            out.add(token.substring(0, 3));
            out.add(token.substring(3));
        } else {
            out.add(token);
        }
        return end;
    }

    /**
     * End of an alphanumeric word, joined across hyphens, slashes ("refrigerator/freezer"), inner periods
     * ("u.s.a") and apostrophes that do not start a clitic ("o'clock").
     */
    private static int wordEnd(String s, int start) {
        int i = runEnd(s, start);
        while (i + 1 < s.length()) {
            char c = s.charAt(i);
            boolean joins = (c == '-' || c == '/' || c == '.' || isApostrophe(s, i))
                    && isWordChar(s.codePointAt(i + 1));
            if (c == '.' && joins) {
                joins = Character.isLetter(s.codePointAt(i + 1)) && Character.isLetter(s.codePointAt(start));
            }
            if (isApostrophe(s, i) && joins) {
                joins = !CLITIC.matcher(s).region(i, s.length()).lookingAt()
                        && !NEGATION.matcher(s).region(i - 1, s.length()).lookingAt();
            }
            if (!joins) {
                break;
            }
            i = runEnd(s, i + 1);
        }
        return i;
    }

    private static boolean isApostrophe(String s, int i) {
        return i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '\u2019');
    }

    private static int runEnd(String s, int i) {
        while (i < s.length() && isWordChar(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        return i;
    }

    /**
     * The PTB lexer keeps a following period on acronyms ("u.s.a.", "e.g."), known abbreviations ("mr.", "etc."),
     * capital initials followed by more text, and any word directly followed by ",;:" ("bat.," -> "bat.").
     * Everywhere else the period is a separate token (and is removed).
     */
    private static int withKeptPeriod(String s, int start, int end) {
        if (end >= s.length() || s.charAt(end) != '.' || !Character.isLetter(s.codePointAt(start))) {
            return end;
        }
        String word = s.substring(start, end);
        char after = end + 1 < s.length() ? s.charAt(end + 1) : ' ';
        boolean acronym = word.matches("\\p{L}(?:\\.\\p{L})+");
        boolean abbreviation = ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
        boolean initial = word.length() == 1 && Character.isUpperCase(word.charAt(0)) && after == ' '
                && !s.substring(end + 1).isBlank();
        boolean beforeInSentencePunctuation = after == ',' || after == ';' || after == ':';
        return acronym || abbreviation || initial || beforeInSentencePunctuation ? end + 1 : end;
    }

    private static int lexSymbol(String s, int start, int cp, List<String> out) {
        int next = start + Character.charCount(cp);
        switch (cp) {
            case '\'', '\u2019' -> {
                int end = Math.max(matchEnd(CLITIC, s, start), matchEnd(DECADE, s, start));
                if (end > start) {
                    out.add("'" + s.substring(start + 1, end));
                    return end;
                }
                out.add("'");
                return next;
            }
            case '`', '\u2018', '\u201A', '\u201B' -> out.add("`");
            case '"', '\u201D', '\u201E' -> out.add("''");
            case '\u201C', '\u201F' -> out.add("``");
            case '(' -> out.add("-LRB-");
            case ')' -> out.add("-RRB-");
            case '[' -> out.add("-LSB-");
            case ']' -> out.add("-RSB-");
            case '{' -> out.add("-LCB-");
            case '}' -> out.add("-RCB-");
            case '\u2026' -> out.add("...");
            case '\u2012', '\u2013', '\u2014', '\u2015' -> out.add("--");
            case '.' -> {
                int end = matchEnd(NUMBER, s, start);
                if (end > start) {
                    out.add(s.substring(start, end));
                    return end;
                }
                end = sameCharRunEnd(s, start, '.');
                out.add(end - start > 1 ? "..." : ".");
                return end;
            }
            case '-' -> {
                int end = sameCharRunEnd(s, start, '-');
                out.add(end - start > 1 ? "--" : "-");
                return end;
            }
            case '!', '?' -> {
                int end = start;
                while (end < s.length() && (s.charAt(end) == '!' || s.charAt(end) == '?')) {
                    end++;
                }
                out.add(s.substring(start, end));
                return end;
            }
            case '*' -> {
                int end = sameCharRunEnd(s, start, '*');
                out.add(s.substring(start, end));
                return end;
            }
            case '#', '@' -> {
                int end = matchEnd(TAG, s, start);
                end = Math.max(end, next);
                out.add(s.substring(start, end));
                return end;
            }
            default -> out.add(s.substring(start, next));
        }
        return next;
    }

    private static int sameCharRunEnd(String s, int start, char c) {
        int end = start;
        while (end < s.length() && s.charAt(end) == c) {
            end++;
        }
        return end;
    }

    /** End of {@code pattern} matched at {@code start}, or {@code start} when it does not match there. */
    private static int matchEnd(Pattern pattern, String s, int start) {
        Matcher m = pattern.matcher(s).region(start, s.length());
        return m.lookingAt() ? m.end() : start;
    }
}
