package io.stratus.server;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Principal;

/**
 * Who sent a request, as authentication found out.
 *
 * @param accessKeyId the access key of the signature, or null when unsigned
 * @param region the region of the credential scope, or null when unsigned
 * @param principal the identity acting
 */
record Caller(String accessKeyId, String region, Principal principal) {

    Caller {
        requireNonNull(principal, "principal is null");
    }
}
