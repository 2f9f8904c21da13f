package io.stratus.s3;

import io.stratus.core.AwsException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a GET ({@code Range: bytes=first-last}), inclusive.
 *
 * @param first the first byte
 * @param last the last byte
 */
record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} of this range of an object of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a header asks for in an object of {@code size} bytes. S3 serves one range; a
     * header it cannot read, or one with several ranges, is ignored (the whole object is sent).
     *
     * @throws AwsException {@code InvalidRange} (416) when the range lies outside the object
     */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty()) || m.group(1).length() > 18 || m.group(2).length() > 18) {
            return Optional.empty();
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                throw invalid(header, size);
            }
            return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
        if (last < first) {
            return Optional.empty();
        }
        if (first >= size) {
            throw invalid(header, size);
        }
        return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    }

    private static AwsException invalid(String header, long size) {
        return new AwsException(S3Errors.INVALID_RANGE, "The requested range is not satisfiable",
                Map.of("RangeRequested", header, "ActualObjectSize", Long.toString(size)), null);
    }
}
