package io.stratus.logs;

/** The comparison operators filter patterns and Logs Insights queries share. */
final class Comparisons {

    private Comparisons() {}

    /**
     * Whether {@code order} (a {@code compareTo} result of the left side against the right) satisfies
     * {@code operator}: {@code =}, {@code !=}, {@code <}, {@code <=}, {@code >} or {@code >=}; false for any other.
     */
    static boolean holds(int order, String operator) {
        return switch (operator) {
            case "=" -> order == 0;
            case "!=" -> order != 0;
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            case ">=" -> order >= 0;
            default -> false;
        };
    }
}
