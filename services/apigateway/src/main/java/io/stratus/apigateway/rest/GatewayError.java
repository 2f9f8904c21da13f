package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.GatewayResponses;
import io.stratus.protocol.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * An answer API Gateway makes itself instead of the integration's: a missing route, a refused
 * caller, an integration that failed. Each has a gateway response type, which an API's gateway
 * responses may customize ({@link GatewayResponseRenderer}).
 */
final class GatewayError extends Exception {

    private static final long serialVersionUID = 1L;

    /** AWS's gateway response types, with the status each answers with by default (0: the error's own). */
    enum Type {
        ACCESS_DENIED(403), API_CONFIGURATION_ERROR(500), AUTHORIZER_CONFIGURATION_ERROR(500), AUTHORIZER_FAILURE(500),
        BAD_REQUEST_PARAMETERS(400), BAD_REQUEST_BODY(400), DEFAULT_4XX(0), DEFAULT_5XX(0), EXPIRED_TOKEN(403), INTEGRATION_FAILURE(504),
        INTEGRATION_TIMEOUT(504), INVALID_API_KEY(403), INVALID_SIGNATURE(403), MISSING_AUTHENTICATION_TOKEN(403), QUOTA_EXCEEDED(429),
        REQUEST_TOO_LARGE(413), RESOURCE_NOT_FOUND(404), THROTTLED(429), UNAUTHORIZED(401), UNSUPPORTED_MEDIA_TYPE(415), WAF_FILTERED(403);

        final int status;

        Type(int status) {
            this.status = status;
        }
    }

    private final Type type;
    private final int status;
    private final String errorType;
    private final String messageMember;
    private final String validationErrorString;

    private GatewayError(Type type, int status, String message, String errorType, String messageMember) {
        this(type, status, message, errorType, messageMember, "");
    }

    private GatewayError(Type type, int status, String message, String errorType, String messageMember, String validationErrorString) {
        super(message, null, false, false);
        this.type = requireNonNull(type, "type is null");
        this.status = status;
        this.errorType = requireNonNull(errorType, "errorType is null");
        this.messageMember = requireNonNull(messageMember, "messageMember is null");
        this.validationErrorString = requireNonNull(validationErrorString, "validationErrorString is null");
    }

    static GatewayError missingAuthenticationToken() {
        return new GatewayError(Type.MISSING_AUTHENTICATION_TOKEN, 403, "Missing Authentication Token", "MissingAuthenticationTokenException", "message");
    }

    static GatewayError invalidApiKey() {
        return new GatewayError(Type.INVALID_API_KEY, 403, "Forbidden", "ForbiddenException", "message");
    }

    static GatewayError unauthorized() {
        return new GatewayError(Type.UNAUTHORIZED, 401, "Unauthorized", "UnauthorizedException", "message");
    }

    /** AWS spells this one member with a capital M. */
    static GatewayError accessDenied(String message) {
        return new GatewayError(Type.ACCESS_DENIED, 403, message, "AccessDeniedException", "Message");
    }

    static GatewayError authorizerConfiguration() {
        return new GatewayError(Type.AUTHORIZER_CONFIGURATION_ERROR, 500, null, "AuthorizerConfigurationException", "message");
    }

    static GatewayError missingParameters(java.util.List<String> names) {
        return new GatewayError(Type.BAD_REQUEST_PARAMETERS, 400, "Missing required request parameters: [" + String.join(", ", names) + "]",
                "BadRequestException", "message");
    }

    /** The body fails the method's model; {@code details} is what {@code $context.error.validationErrorString} shows. */
    static GatewayError badRequestBody(String details) {
        return new GatewayError(Type.BAD_REQUEST_BODY, 400, "Invalid request body", "BadRequestException", "message", details);
    }

    /** The usage plan's rate or burst limit for the key is used up for now. */
    static GatewayError throttled() {
        return new GatewayError(Type.THROTTLED, 429, "Too Many Requests", "TooManyRequestsException", "message");
    }

    /** The usage plan's quota for the key is used up for this period. */
    static GatewayError quotaExceeded() {
        return new GatewayError(Type.QUOTA_EXCEEDED, 429, "Limit Exceeded", "LimitExceededException", "message");
    }

    static GatewayError unsupportedMediaType() {
        return new GatewayError(Type.UNSUPPORTED_MEDIA_TYPE, 415, "Unsupported Media Type", "UnsupportedMediaTypeException", "message");
    }

    static GatewayError timeout() {
        return new GatewayError(Type.INTEGRATION_TIMEOUT, 504, "Endpoint request timed out", "InternalServerErrorException", "message");
    }

    /** The integration could not be reached: a missing function, a backend that refuses connections. */
    static GatewayError integrationFailure() {
        return new GatewayError(Type.INTEGRATION_FAILURE, 500, "Internal server error", "InternalServerErrorException", "message");
    }

    /** The integration answered what the API cannot use: a malformed Lambda proxy response, a failed function. */
    static GatewayError badGateway() {
        return new GatewayError(Type.DEFAULT_5XX, 502, "Internal server error", "InternalServerErrorException", "message");
    }

    /** The API's own set-up fails the call: no integration response matches, a template does not render. */
    static GatewayError internalError() {
        return new GatewayError(Type.API_CONFIGURATION_ERROR, 500, "Internal server error", "InternalServerErrorException", "message");
    }

    Type type() {
        return type;
    }

    int status() {
        return status;
    }

    String errorType() {
        return errorType;
    }

    /** The validation errors behind a {@code BAD_REQUEST_BODY}; empty for every other error. */
    String validationErrorString() {
        return validationErrorString;
    }

    /** The default answer: {@code {"message":"…"}} (or {@code null}) with the error type header. */
    HttpResponse response() {
        if (getMessage() == null) {
            return new HttpResponse(status, "{\"message\": null}".getBytes(StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json").header("x-amzn-ErrorType", errorType);
        }
        HttpResponse standard = GatewayResponses.message(status, getMessage()).header("x-amzn-ErrorType", errorType);
        if (messageMember.equals("message")) {
            return standard;
        }
        String body = new String(standard.body(), StandardCharsets.UTF_8).replaceFirst("\"message\"", "\"" + messageMember + "\"");
        return standard.body(body.getBytes(StandardCharsets.UTF_8));
    }
}
