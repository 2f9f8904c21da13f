package io.stratus.sns;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.stratus.core.spi.Queues;
import java.util.Base64;

/**
 * A message attribute as SNS keeps and delivers it: its type ({@code String}, {@code String.Array},
 * {@code Number}, {@code Binary}, each with an optional custom suffix) and its value as text
 * (base64 for Binary), as the JSON envelope's {@code MessageAttributes} carry them.
 */
record PublishedAttribute(String type, String value) {

    /** An attribute an earlier Stratus kept as its text alone: a String attribute. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static PublishedAttribute ofText(String value) {
        return new PublishedAttribute("String", value);
    }

    /** The attribute as SQS gets it from a raw delivery: its type kept, a Binary value decoded. */
    Queues.MessageAttribute toMessageAttribute() {
        return type.startsWith("Binary")
                ? new Queues.MessageAttribute(type, null, Base64.getDecoder().decode(value))
                : new Queues.MessageAttribute(type, value, null);
    }
}
