package io.stratus.dynamodb.item;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import java.math.BigDecimal;

/**
 * DynamoDB's numbers: up to 38 significant digits, magnitudes from 1E-130 to just under 1E+126,
 * kept canonical (no trailing zeros, so {@code 1.50} is {@code 1.5} and {@code 1E+2} is
 * {@code 100}).
 */
public final class Numbers {

    private static final int MAX_DIGITS = 38;
    private static final BigDecimal MAX_MAGNITUDE = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    private static final BigDecimal MIN_MAGNITUDE = new BigDecimal("1E-130");

    private Numbers() {}

    /** Parses a number as sent on the wire, refusing what DynamoDB refuses with its messages. */
    public static BigDecimal parse(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw validation("The parameter cannot be converted to a numeric value: %s", text);
        }
        return check(value);
    }

    /** Checks a number (parsed or computed) fits DynamoDB's precision and range. */
    public static BigDecimal check(BigDecimal value) {
        BigDecimal canonical = canonical(value);
        if (canonical.signum() == 0) {
            return canonical;
        }
        if (canonical.precision() > MAX_DIGITS) {
            throw validation("Attempting to store more than 38 significant digits in a Number");
        }
        BigDecimal magnitude = canonical.abs();
        if (magnitude.compareTo(MAX_MAGNITUDE) > 0) {
            throw validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (magnitude.compareTo(MIN_MAGNITUDE) < 0) {
            throw validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return canonical;
    }

    /** The one representation of a number's value: equal numbers give equal results. */
    public static BigDecimal canonical(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    /** Significant digits, the basis of a number's size. */
    static int digits(BigDecimal canonical) {
        return canonical.signum() == 0 ? 1 : canonical.precision();
    }
}
