package dev.captioner.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token rules of Stanford PTBTokenizer 3.4.1 as the COCO caption toolkit runs it, re-derived from its
 * behaviour (never from its GPL source) and checked against it by {@code PtbTokenizerDifferentialTest}.
 *
 * <p>Like the JFlex lexer it imitates, at each position the longest match of any rule wins, ties going to the
 * earlier rule; a rule's length counts its trailing context (what it must see after the token) even though that
 * context is not part of the token. Tokens come out as the tokenizer prints them, before lower-casing.
 */
final class PtbLexer {

    /**
     * The rules see every non-ASCII letter as this one (a letter to the tokenizer too): no rule tells two of them
     * apart, and a 390-range character class would make every match slow.
     */
    private static final char OTHER_LETTER = '\u00AA';
    private static final String LETTERS = "A-Za-z" + OTHER_LETTER;
    private static final String LET = "[" + LETTERS + "]";
    private static final String AN = "[" + LETTERS + "0-9]";
    private static final String DIG = "[0-9]";
    /** A word: letters and digits, soft hyphens before and inside it dropped ("soft\u00ADhyphen" -> "softhyphen"). */
    private static final String AW = "\u00AD*" + AN + "(?:" + AN + "|\u00AD+(?=" + AN + "))*";
    private static final String APOS_CHARS = "'\u2019";
    private static final String APOS = "[" + APOS_CHARS + "]";
    /** What "n't" may be written with: "don't", "don’t", "don‘t", "don`t" all split off the n. */
    private static final String NEGATION_APOS = "[" + APOS_CHARS + "`\u2018\u201B]";
    /** In words such as "o'clock" and "ma'am" other single quotes also serve as an apostrophe. */
    private static final String WORD_APOS = "['`\u0091\u0092\u2018\u2019\u201B]";
    /** Whitespace that look-ahead rules see through, the line break between captions included. */
    private static final String WS = "[ \\t\\n\\u00A0\\u1680\\u2000-\\u200A\\u205F\\u3000]";
    /** The characters of WS but the line break, as a string. */
    private static final String WHITESPACE = " \t\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
            + "\u2009\u200A\u205F\u3000";
    /** What a clitic may follow a word with: "dog's", "we're", "I'm". */
    private static final String CLITIC = APOS + "(?:[sSmMdD]|[rR][eE]|[vV][eE]|[lL][lL])";

    /** Abbreviations that keep their period in any letter case and may start a hyphenated word ("Mr.-x"). */
    private static final String TITLES = "(?i:adj|adm|adv|alex|assoc|asst|attys?|ave|brig|capt|cf|cie|cmdr|col|cpl|dept"
            + "|det|dr|drs|ens|ft|gen|govs?|hon|jos|lt|maj|messrs|mme|mr|mrs|ms|msgr|mt|natl|pfc|ph|pres|prof|profs|pvt"
            + "|rep|reps|rev|sens?|sfc|sgt|spc|st|ste|treas|vs|wm)|[Mm]f[Gg]|[Mm]t[Gg]";
    /** Abbreviations that keep their period and may end a sentence ("Main Rd.", "etc."). */
    private static final String ABBREVIATIONS = "(?i:al|ala|apr|ariz|assn|aug|bhd|bldg|blvd|bros|calif|co|colo|conn"
            + "|corp|cos|ct|dak|dec|esq|est|etc|ext|feb|fla|fri|ga|inc|ind|jan|jr|jul|jun|kan|kans|ky|ltd|mar|md|mich"
            + "|minn|mo|mon|mont|neb|nev|nov|oct|okla|penn|plc|rd|rt|sep|sept|seq|sq|sr|sys|tel|tenn|thu|thurs|tue"
            + "|tues|univ|va|vt|wed|wis|wisc|wyo)"
            // Only capitalised: "Ill." is Illinois, "ill." a sentence end.
            + "|A(?i:rk|z)|D(?i:el)|I(?i:ll)|L(?i:a)|M(?i:ass|iss)|O(?i:re)|P(?i:a)|T(?i:ex)|W(?i:ash)|[Pp][Tt][ey]";
    /** Abbreviations that keep their period only before a number ("no. 7", "fig.3"). */
    private static final String NUMBER_ABBREVIATIONS = "(?i:art|ca|figs?|nos?|op|pp|prop)";
    /**
     * Words before which a single letter's period ends a sentence ("the letter J. The sign"): capitalised, the
     * rest of the word in any case ("THE" too, "the" not).
     */
    private static final String SENTENCE_STARTS = sentenceStarts("A About According Additionally After An As At But "
            + "Earlier He Her Here However If In It Last Many More Now Once One Other Our She Since So Some Such That The "
            + "Their Then There These They This We What When While Yet You");
    private static final String ACRONYM = "[A-Za-z](?:\\.[A-Za-z])+\\.";
    /** Inside a URL after "http://" almost anything goes, even no-break and thin spaces. */
    private static final String URL_CHAR = "[^ \\t\\n\\x0B\\f\\r|\"<>{}()]";
    private static final String URL_END = "[^ \\t\\n\\x0B\\f\\r|\"<>{}()?!.,\\-]";
    private static final String WWW_CHAR = "[" + LETTERS + "0-9!_\\-]";
    /** E-mail addresses take almost any character before the "@" (a word joiner, a thin space) and after it. */
    private static final String EMAIL_LOCAL = "<?[A-Za-z0-9][^\\s\u00A0\"(){}<>|@]*";
    private static final String EMAIL_PART = "[^\\s\u00A0\"(){}<|.]+";
    /**
     * A host name before .com .net .org .edu: lower-case and non-ASCII letters and almost any other non-ASCII
     * character (a no-break space, a word joiner, an en dash) and # % & * + ~, but no upper-case letter or digit.
     */
    private static final String HOST_CHAR = "[^\\t\\n\\x0B\\f\\r A-Z0-9!\"$'(),\\-./:;<=>?@\\[\\\\\\]^_`{|}"
            + "\u2018-\u201F\u00AB\u00BB\u2039\u203A\u2026]";
    /** A path after a host: two characters or more, not ending in sentence punctuation. */
    private static final String PATH = "/" + URL_CHAR + "+" + URL_END;
    /** After an ASCII hyphen a part may hold soft hyphens ("lots-player\u00ADmon"), after the others not. */
    private static final String SOFT_PART = AN + "(?:" + AN + "|\u00AD+(?=" + AN + "))*";
    private static final String HYPHEN = "\u00AD*[-\u2010\u2011\u058A]";
    private static final String SLASHED = AN + "+(?:/" + AN + "+){1,2}";
    /** A word with dots may start a hyphenated word ("U.S.-based", "Mr.-x", "Nov.-Dec"). */
    private static final String DOTTED_START = "[A-Za-z0-9]+(?:(?:\\.[A-Za-z0-9]+)*\\.+|(?:\\.[A-Za-z0-9]+)+)";
    private static final String AFTER_DOTTED = "(?:[A-Za-z](?:\\.[A-Za-z])+\\.|[A-Za-z0-9]+)";
    private static final String LETTERED_SLASHED = AN + "+(?:/" + LET + AN + "*){1,2}";
    private static final String HYPHENATED = "(?:" + SLASHED + "(?:" + HYPHEN + LET + "+(?:/" + LET + AN + "*)*)+|"
            + DOTTED_START + "(?:" + HYPHEN + AFTER_DOTTED + ")+|(?:[oOdDlLnN]" + WORD_APOS + LET + "{2,}" + AN + "*|" + AN
            + "+(?:_" + AN + "+)+|" + AN + "*" + DIG + "(?:[.,]" + DIG + "+)+" + AN
            + "*|" + SOFT_PART + ")(?:\u00AD*-(?:" + LETTERED_SLASHED + "|" + SOFT_PART + "))+|" + AN
            + "+(?:[-\u2010\u2011\u058A](?:" + LETTERED_SLASHED + "|" + AN + "+))+|" + DIG + "{1,2}/" + DIG + "{1,2}-"
            + DIG + "{2,4})";
    private static final String UNSIGNED = "(?:" + DIG + "+|[.,:]" + DIG + "+)(?:[.,:]" + DIG + "+)*";
    private static final String NUMBER = "[-+]?" + UNSIGNED;
    /** An SGML tag's name and attributes, a quoted value to each ("<a href=\"x\">", "<br />"). */
    private static final String TAG = "[A-Za-z][A-Za-z0-9:._-]*(?:[ \u00A0]+(?:[A-Za-z][A-Za-z0-9_:.-]*(?:=(?:\"[^\"<>]*\"|'"
            + "[^'<>]*'))?)?)*";
    /** Words joined by inner dots and marks, as in file and host names ("photo.jpg", "wow!great"). */
    private static final String DOTTED = LET + AN + "*(?:[.!?]" + LET + AN + "*)+";
    private static final String SEPARATOR = "[- \u00A0]";
    /** Quotes that pair up into one token ("\u201C\u00BB" -> "``''"). */
    private static final String PAIRING_QUOTE = "[`\u0091-\u0094\u2018\u2019\u201B\u201C\u201D\u201E\u201A\u00AB\u00BB\u2039"
            + "\u203A]";

    private static String sentenceStarts(String words) {
        StringBuilder alternatives = new StringBuilder();
        for (String word : words.split(" ")) {
            alternatives.append(alternatives.isEmpty() ? "" : "|").append(word.charAt(0));
            if (word.length() > 1) {
                alternatives.append("(?i:").append(word.substring(1)).append(')');
            }
        }
        return "(?:" + alternatives + ")";
    }

    private enum Kind {
        /** The token as matched. */
        PLAIN,
        /** Soft hyphens removed. */
        WORD,
        /** Two tokens, split after the third letter: "cannot" -> "can not", "gonna" -> "gon na". */
        SPLIT,
        /** Spaces kept inside the token as no-break spaces, brackets as -LRB- -RRB- (phone numbers, fractions). */
        JOINED,
        /** The curly apostrophe printed as a straight one ("’s" -> "'s"). */
        APOSTROPHE,
        /** Brackets inside an emoticon printed as -LRB- -RRB- (":)" -> ":-RRB-"). */
        EMOTICON,
        ELLIPSIS,
        DASHES,
        QUOTE,
        AMPERSAND
    }

    private record Rule(Kind kind, Pattern pattern) {
    }

    /** A rule's pattern: group {@code t} is the token, anything matched after it is trailing context. */
    private static Rule rule(Kind kind, String token) {
        return rule(kind, token, "");
    }

    private static Rule rule(Kind kind, String token, String context) {
        return new Rule(kind, Pattern.compile("(?<t>" + token + ")" + context));
    }

    private static final String SPLIT_WORD = "(?i:cannot|gonna|gotta|lemme|gimme|wanna)";
    private static final Pattern SPLIT_WORDS = Pattern.compile(SPLIT_WORD);

    private static final List<Rule> RULES = List.of(
            rule(Kind.SPLIT, SPLIT_WORD),
            rule(Kind.PLAIN, "[Pp][Hh]\\.[Dd]\\."),
            rule(Kind.PLAIN, ACRONYM),
            rule(Kind.PLAIN, "(?:" + TITLES + ")\\."),
            // The trailing context (a letter, maybe after one other character) settles ties: "etc.-x" stays
            // "etc." "-" "x" while "etc.-xy" is one word and "co.uk" a host name.
            rule(Kind.PLAIN, "(?:" + ABBREVIATIONS + ")\\.", "(?:[^A-Za-z\\s]?[A-Za-z])?"),
            rule(Kind.PLAIN, NUMBER_ABBREVIATIONS + "\\.", "(?:" + WS + "?" + DIG + ")"),
            rule(Kind.PLAIN, "[A-Za-z]\\.(?!" + WS + "+" + SENTENCE_STARTS + "(?:" + WS + "|\\z))"),
            rule(Kind.PLAIN, "(?:US|A|AU|C|CA|HK|M|NT|NZ|R|S)\\$"),
            rule(Kind.PLAIN, "(?i:https?)://" + URL_CHAR + "+" + URL_END),
            rule(Kind.PLAIN, "(?i:www)\\." + WWW_CHAR + "+(?:(?:\\.|://)" + LET + WWW_CHAR + "*)+(?<!!)(?:" + PATH + ")?"),
            rule(Kind.PLAIN, HOST_CHAR + "+(?:\\." + HOST_CHAR + "+)*\\.(?:com|org|net|edu)(?:" + PATH + ")?"),
            rule(Kind.PLAIN, AN + "+(?:\\." + AN + "+)*\\.(?i:jpe?g|png|gif|bmp|txt|html?|pdf|docx?|ppt|mp3|mov|wav|zip|exe"
                    + "|xml|php|py|java|[ch])(?![" + LETTERS + "0-9/])"),
            rule(Kind.PLAIN, EMAIL_LOCAL + "(?:@+" + EMAIL_PART + "(?:\\." + EMAIL_PART + ")*|@@+)"),
            rule(Kind.JOINED, "(?:\\(" + DIG + "{2,3}\\)[ \u00A0]?|(?:\\+\\+?)?(?:" + DIG + "{2,4}" + SEPARATOR + ")?" + DIG
                    + "{2,4}" + SEPARATOR + ")" + DIG + "{3,4}" + SEPARATOR + "?" + DIG + "{3,5}"),
            rule(Kind.JOINED, DIG + "{1,4}[ \u00A0]" + DIG + "{1,4}/" + DIG + "{1,4}"),
            rule(Kind.PLAIN, DIG + "{1,4}-" + DIG + "{1,4}/" + DIG + "{1,4}"),
            rule(Kind.WORD, "(?:" + HYPHENATED + "|" + DOTTED + "|" + AW + "|" + DIG + "+)\\.", "(?=[,;:])"),
            rule(Kind.WORD, HYPHENATED, "(?:" + CLITIC + ")?"),
            rule(Kind.WORD, AN + "+(?:[-\u2010\u2011\u058A](?:" + LETTERED_SLASHED + "|" + AN + "+))+", "(?:" + CLITIC + ")?"),
            rule(Kind.WORD, SLASHED),
            rule(Kind.WORD, DOTTED),
            rule(Kind.WORD, AW + "(?:_" + AW + ")+"),
            rule(Kind.PLAIN, "(?i:e'er|li'l|nat'l|s'mores|c'mon|dunkin" + APOS + "|ol" + APOS + ")"),
            rule(Kind.PLAIN, "[dDlLjJ]" + APOS),
            rule(Kind.PLAIN, "[yY]" + APOS, "(?=" + LET + ")"),
            // the negation only splits off letters, and not after another n: "sunn't" and "05didn't" stay whole
            rule(Kind.WORD, LET + "*[" + LETTERS + "&&[^nN]]", "[nN]" + NEGATION_APOS + "[tT]"),
            rule(Kind.WORD, AW, "(?:" + CLITIC + ")?"),
            rule(Kind.PLAIN, "[A-HJ-XZ]" + WORD_APOS + LET + "{2,}"),
            rule(Kind.PLAIN, "[oOdDlLnN]" + WORD_APOS + LET + "{2,}" + AN + "*"),
            rule(Kind.PLAIN, LET + "+[aeiouyAEIOUY]" + WORD_APOS + "[aeiouA-Z]" + LET + "*"),
            rule(Kind.PLAIN, NUMBER),
            rule(Kind.PLAIN, APOS + DIG + "0[sS]"),
            rule(Kind.PLAIN, APOS + DIG + "{2}", "(?=" + WS + ")"),
            rule(Kind.APOSTROPHE, "'(?:[sSmMdD]|[rR][eE]|[vV][eE]|[lL][lL])", "(?![A-Za-z])"),
            rule(Kind.APOSTROPHE, "[\u2019\u0092](?:[sSmMdD]|[rR][eE]|[vV][eE]|[lL][lL])"),
            rule(Kind.APOSTROPHE, "[nN][" + APOS_CHARS + "\u201B][tT]"),
            rule(Kind.PLAIN, "[nN]" + NEGATION_APOS + "[tT]" + AN + "+"),
            rule(Kind.PLAIN, "'[eE][mM]|'[cC][aA][uU][sS][eE]|'[tT][iI][lL][lL]?|'[nN]['\u2019]|'[nN](?=[ \\t\\n\u00A0]|\\z)"),
            rule(Kind.PLAIN, "[\u2019\u0092](?:[eE][mM]|[cC][aA][uU][sS][eE]|[tT][iI][lL][lL]?|[nN]" + APOS + "?)"),
            rule(Kind.PLAIN, "'[tT]", "(?:[iI][sS]|[wW][aA][sS])"),
            rule(Kind.PLAIN, "[cCfF]#"),
            rule(Kind.PLAIN, "#" + LET + "+"),
            rule(Kind.PLAIN, "#+"),
            rule(Kind.PLAIN, "@[A-Za-z_][A-Za-z0-9_]*"),
            rule(Kind.PLAIN, "@+"),
            rule(Kind.PLAIN, "[cC]\\+\\+"),
            rule(Kind.PLAIN, "[A-Z]+(?:&[A-Z]+)+"),
            rule(Kind.AMPERSAND, "&amp;"),
            rule(Kind.JOINED, "<[/!]?" + TAG + "[ \u00A0]*/?>|<\\?" + TAG + "\\?>|<!--[^<>]*-->"),
            // an emoticon needs a character after it that is no letter or digit: at the very end it is no emoticon
            rule(Kind.EMOTICON, "[<>]?[:;=]'?[-o]?[()\\[\\]]|>?[:;=][-o]?[DPOp|\\\\3@{]", "(?=[^" + LETTERS + "0-9])"),
            rule(Kind.PLAIN, "\\^_\\^|-_-"),
            rule(Kind.PLAIN, "-{5,}"),
            rule(Kind.DASHES, "-{2,4}"),
            rule(Kind.ELLIPSIS, "\\.{3,5}|\\.(?: \\.){2,}"),
            rule(Kind.PLAIN, "[!?]+|\\*+|_+|<<|>>"),
            rule(Kind.QUOTE, "''|" + PAIRING_QUOTE + "{2}"));

    /** Characters that print as something else when they stand alone. */
    private static final Map<Character, String> SINGLES = Map.ofEntries(
            Map.entry('(', "-LRB-"), Map.entry(')', "-RRB-"), Map.entry('[', "-LSB-"), Map.entry(']', "-RSB-"),
            Map.entry('{', "-LCB-"), Map.entry('}', "-RCB-"),
            Map.entry('"', "''"), Map.entry('\'', "'"), Map.entry('`', "`"), Map.entry('\u2018', "`"),
            Map.entry('\u2019', "'"), Map.entry('\u201B', "`"), Map.entry('\u201C', "``"), Map.entry('\u201D', "''"),
            Map.entry('\u0091', "`"), Map.entry('\u0092', "'"), Map.entry('\u0093', "``"), Map.entry('\u0094', "''"),
            Map.entry('\u00AB', "``"), Map.entry('\u00BB', "''"), Map.entry('\u2039', "`"), Map.entry('\u203A', "'"),
            Map.entry('\u2013', "--"), Map.entry('\u2014', "--"), Map.entry('\u2015', "--"), Map.entry('\u0096', "--"),
            Map.entry('\u0097', "--"), Map.entry('\u2026', "..."), Map.entry('\u0085', "..."),
            Map.entry('\u0080', "$"), Map.entry('\u00A4', "$"), Map.entry('\u20A0', "$"), Map.entry('\u20AC', "$"),
            Map.entry('\u00A2', "cents"), Map.entry('\u00A3', "#"),
            Map.entry('\u00BC', "1/4"), Map.entry('\u00BD', "1/2"), Map.entry('\u00BE', "3/4"),
            Map.entry('\u2153', "1/3"), Map.entry('\u2154', "2/3"), Map.entry('\u00AD', "-"),
            Map.entry('.', "."), Map.entry('/', "/"), Map.entry('-', "-"), Map.entry('!', "!"), Map.entry('?', "?"),
            Map.entry('#', "#"), Map.entry('@', "@"), Map.entry('_', "_"));

    /**
     * Per first character, the rules that can match a token starting with it, found on first use: a rule whose
     * matcher fails on that character alone without asking for more input can never match there.
     */
    private static final int[][] RULES_BY_FIRST_CHAR = new int[0x10000][];

    private PtbLexer() {
    }

    private static int[] rulesStartingWith(char c) {
        int[] rules = RULES_BY_FIRST_CHAR[c];
        if (rules == null) {
            String alone = String.valueOf(c);
            rules = java.util.stream.IntStream.range(0, RULES.size()).filter(r -> {
                Matcher m = RULES.get(r).pattern().matcher(alone);
                return m.lookingAt() || m.hitEnd();
            }).toArray();
            RULES_BY_FIRST_CHAR[c] = rules;
        }
        return rules;
    }

    /** The tokens of each line of {@code stream} (lines end at '\n' only), as the tokenizer prints them. */
    static List<List<String>> lines(String stream) {
        List<List<String>> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        char[] seen = stream.toCharArray();
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] >= 0x80 && PtbCharacters.isLetter(seen[i])) {
                seen[i] = OTHER_LETTER;
            }
        }
        String mapped = new String(seen);
        Matcher[] matchers = new Matcher[RULES.size()];
        for (int r = 0; r < matchers.length; r++) {
            matchers[r] = RULES.get(r).pattern().matcher(mapped).useTransparentBounds(true).useAnchoringBounds(false);
        }
        int n = stream.length();
        int i = 0;
        while (i < n) {
            char c = stream.charAt(i);
            if (c == '\n') {
                lines.add(line);
                line = new ArrayList<>();
                i++;
                continue;
            }
            int plainEnd = plainWordEnd(stream, i);
            if (plainEnd > i) {
                emit(SPLIT_WORDS.matcher(stream).region(i, plainEnd).matches() ? Kind.SPLIT : Kind.PLAIN,
                        stream.substring(i, plainEnd), line);
                i = plainEnd;
                continue;
            }
            int bestRule = -1;
            // a run of whitespace is a token of its own to the tokenizer: a rule must be longer to take its start
            int bestLength = whitespaceRun(stream, i);
            for (int r : rulesStartingWith(seen[i])) {
                Matcher m = matchers[r].region(i, n);
                if (m.lookingAt() && m.end() - i > bestLength) {
                    bestLength = m.end() - i;
                    bestRule = r;
                }
            }
            if (bestRule < 0 && bestLength > 0) {
                i += bestLength;
            } else if (bestRule >= 0) {
                Matcher m = matchers[bestRule];
                emit(RULES.get(bestRule).kind(), stream.substring(m.start("t"), m.end("t")), line);
                i = m.end("t");
            } else {
                String single = SINGLES.get(c);
                if (single != null) {
                    line.add(single);
                } else if (PtbCharacters.isSymbol(c) || PtbCharacters.isLetter(c)) {
                    line.add(String.valueOf(c));
                }
                // anything else is whitespace or a character the tokenizer deletes
                i++;
            }
        }
        lines.add(line);
        return lines;
    }

    /**
     * The end of ASCII letters followed by a space, a line break or the end, else {@code start}: most of a
     * caption, and no rule but the word rules can match there, so the rules need not be tried.
     */
    private static int plainWordEnd(String stream, int start) {
        int end = start;
        while (end < stream.length() && (stream.charAt(end) | 0x20) >= 'a' && (stream.charAt(end) | 0x20) <= 'z') {
            end++;
        }
        boolean followedBySpace = end == stream.length() || stream.charAt(end) == ' ' || stream.charAt(end) == '\n';
        return followedBySpace ? end : start;
    }

    private static int whitespaceRun(String stream, int start) {
        int end = start;
        while (end < stream.length() && WHITESPACE.indexOf(stream.charAt(end)) >= 0) {
            end++;
        }
        return end - start;
    }

    /** Each quote as the tokenizer prints it alone, the pair as one token. */
    private static String quotes(String token) {
        StringBuilder printed = new StringBuilder();
        for (char c : token.toCharArray()) {
            printed.append(SINGLES.getOrDefault(c, String.valueOf(c)));
        }
        return printed.toString();
    }

    private static void emit(Kind kind, String token, List<String> out) {
        switch (kind) {
            case PLAIN -> out.add(token);
            case WORD -> out.add(token.replace("\u00AD", ""));
            case SPLIT -> {
                out.add(token.substring(0, 3));
                out.add(token.substring(3));
            }
            case JOINED -> out.add(token.replace(' ', '\u00A0').replace("(", "-LRB-").replace(")", "-RRB-"));
            case APOSTROPHE -> out.add(token.replace('\u2019', '\'').replace('\u0092', '\'').replace('\u201B', '`'));
            case EMOTICON -> out.add(token.replace("(", "-LRB-").replace(")", "-RRB-"));
            case ELLIPSIS -> out.add("...");
            case DASHES -> out.add("--");
            case QUOTE -> out.add(quotes(token));
            case AMPERSAND -> out.add("&");
        }
    }
}
