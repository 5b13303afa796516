package io.inferenceworker.testkit.sim;

import java.util.ArrayList;
import java.util.List;

/** The simulator's crude tokenizer: a token is a word with the whitespace before it. */
final class Tokens {

    private Tokens() {
    }

    /** Splits {@code text} into tokens whose concatenation is {@code text}. */
    static List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return tokens;
        }
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) && !Character.isWhitespace(text.charAt(i - 1))) {
                tokens.add(text.substring(start, i));
                start = i;
            }
        }
        tokens.add(text.substring(start));
        return tokens;
    }

    static int count(String text) {
        return split(text).size();
    }

    /** About four characters per prompt token, at least one. */
    static int promptTokens(int chars) {
        return Math.max(1, (chars + 3) / 4);
    }
}
