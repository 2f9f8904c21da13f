package io.stratus.kinesis;

/**
 * Sequence numbers as clients see them: 56 decimal digits, as long as Kinesis's, {@code 49} and the
 * record's zero-padded sequence in its shard, so they sort as strings and as numbers. Stateless.
 */
final class Sequences {

    private Sequences() {}

    static String format(long sequence) {
        return String.format("49%054d", sequence);
    }

    /** The sequence a client's sequence number stands for, or -1 when it is not one of ours. */
    static long parse(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.length() != 56 || !sequenceNumber.startsWith("49")
                || !sequenceNumber.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        String digits = sequenceNumber.substring(2);
        // Beyond a long: no record has it.
        return digits.substring(0, 35).chars().anyMatch(c -> c != '0') ? -1 : Long.parseLong(digits.substring(35));
    }
}
