package io.stratus.sns;

/**
 * A message attribute as SNS keeps and delivers it: its type ({@code String}, {@code String.Array},
 * {@code Number}, {@code Binary}, each with an optional custom suffix) and its value as text
 * (base64 for Binary), as the JSON envelope's {@code MessageAttributes} carry them.
 */
record PublishedAttribute(String type, String value) {}
