package io.stratus.server.edge;

import io.stratus.core.AwsException;
import io.stratus.protocol.HttpResponse;

/** Encodes an error raised before any service is known (bad HTTP, oversized body, shutdown). */
@FunctionalInterface
public interface ErrorResponses {
    HttpResponse bareError(AwsException error);
}
