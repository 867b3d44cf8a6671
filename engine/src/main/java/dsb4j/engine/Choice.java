package dsb4j.engine;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An enum whose constants a user names by one word each (on the command line and in config.json): {@code --method
 * dsb}, {@code --device cuda}. {@link #parse} turns a word back into its constant, or says which words there are.
 */
public interface Choice {

    /** The constant's word. */
    String word();

    /** The constant of {@code type} spelled {@code word}; else an error naming {@code option} and every word. */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String option, String word) {
        for (E e : type.getEnumConstants()) if (e.word().equals(word)) return e;
        throw new IllegalArgumentException(option + " must be one of " + words(type) + ", got '" + word + "'");
    }

    /** The words of {@code type}'s constants, in declaration order, separated by ", ". */
    static <E extends Enum<E> & Choice> String words(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::word).collect(Collectors.joining(", "));
    }
}
