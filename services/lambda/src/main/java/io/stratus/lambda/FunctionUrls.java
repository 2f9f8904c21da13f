package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.FunctionRules.FunctionReference;
import io.stratus.lambda.FunctionStore.Attachment;
import io.stratus.lambda.FunctionUrlModel.CreateFunctionUrlConfigRequest;
import io.stratus.lambda.FunctionUrlModel.CreateFunctionUrlConfigResponse;
import io.stratus.lambda.FunctionUrlModel.FunctionUrlConfig;
import io.stratus.lambda.FunctionUrlModel.FunctionUrlConfigRequest;
import io.stratus.lambda.FunctionUrlModel.ListFunctionUrlConfigsRequest;
import io.stratus.lambda.FunctionUrlModel.ListFunctionUrlConfigsResponse;
import io.stratus.lambda.FunctionUrlModel.UpdateFunctionUrlConfigRequest;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Function URLs: Create, Get, Update, Delete and ListFunctionUrlConfigs. A config is an attachment
 * of the function (unqualified, {@code $LATEST}) or of an alias, so deleting either deletes it in
 * the same transaction; an index {@code url-id → (account, region, name, qualifier)} lets
 * {@link FunctionUrlEndpoint} find the function a URL's host names. An index entry whose config is
 * gone (the function or alias was deleted) answers nothing, and is removed at {@link #start()}.
 * Thread-safe: all state is in the store.
 */
final class FunctionUrls {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionUrls.class);
    private static final String INDEX = "lambda.url-ids";
    private static final String QUALIFIER_PATTERN = "(^\\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))";
    private static final Pattern QUALIFIER = Pattern.compile(QUALIFIER_PATTERN);
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A config as stored: the URL's id and what the caller set. */
    record UrlConfig(String urlId, String authType, FunctionUrlModel.Cors cors, String invokeMode, String creationTime, String lastModifiedTime) {}

    /** Where an index entry points: the function and its qualifier ("" for the function itself). */
    record Location(String accountId, String region, String name, String qualifier) {}

    /** A URL the endpoint found: where it is and its config. */
    record Found(Location location, UrlConfig config) {

        /** What to invoke: the name, with the alias when there is one. */
        String functionName() {
            return location.qualifier().isEmpty() ? location.name() : location.name() + ":" + location.qualifier();
        }
    }

    private final Store store;
    private final FunctionStore functions;
    private final VersionOperations versions;
    private final VersionOperations.Lookup lookup;
    private final Clock clock;
    private final LambdaSettings settings;

    FunctionUrls(Store store, FunctionStore functions, VersionOperations versions, VersionOperations.Lookup lookup, Clock clock,
            LambdaSettings settings) {
        this.store = requireNonNull(store, "store is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.versions = requireNonNull(versions, "versions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Removes index entries whose config is gone; before requests are served, so no create is half done. */
    void start() {
        List<byte[]> stale = new ArrayList<>();
        try (Scan scan = store.scan(INDEX, KeyRange.all())) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                String urlId = (String) Key.decode(entry.key()).getFirst();
                Location location = decode(entry.value(), Location.class);
                if (config(location).filter(config -> config.urlId().equals(urlId)).isEmpty()) {
                    stale.add(entry.key());
                }
            }
        }
        stale.forEach(key -> store.delete(INDEX, key));
        if (!stale.isEmpty()) {
            LOG.debug("Removed {} function URL index entries of deleted functions or aliases", stale.size());
        }
    }

    CreateFunctionUrlConfigResponse create(RequestContext context, CreateFunctionUrlConfigRequest request) {
        Target target = target(context, request.functionName(), request.qualifier());
        String authType = authType(request.authType(), true);
        String invokeMode = invokeMode(request.invokeMode());
        FunctionUrlModel.Cors cors = FunctionUrlCors.validate(request.cors());
        String now = TIME.format(clock.instant());
        FunctionRecord latest = target.latest();
        String urlId = reserveId(new Location(latest.accountId(), latest.region(), latest.name(), target.qualifier()));
        UrlConfig config = new UrlConfig(urlId, authType, cors, invokeMode == null ? "BUFFERED" : invokeMode, now, now);
        try {
            functions.changeAttachment(Attachment.FUNCTION_URL, latest.accountId(), latest.region(), latest.name(), target.qualifier(),
                    UrlConfig.class, existing -> {
                        if (existing != null) {
                            throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT,
                                    "Failed to create function url config for [functionArn = %s]. Error message:  FunctionUrlConfig exists for this Lambda function",
                                    target.arn());
                        }
                        return config;
                    }).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
        } catch (RuntimeException e) {
            store.delete(INDEX, indexKey(urlId));
            throw e;
        }
        return new CreateFunctionUrlConfigResponse(url(urlId, latest.region()), target.arn(), config.authType(), cors, config.creationTime(),
                config.invokeMode());
    }

    FunctionUrlConfig get(RequestContext context, FunctionUrlConfigRequest request) {
        Target target = target(context, request.functionName(), request.qualifier());
        FunctionRecord latest = target.latest();
        UrlConfig config = functions.attachment(Attachment.FUNCTION_URL, latest.accountId(), latest.region(), latest.name(), target.qualifier(),
                UrlConfig.class).orElseThrow(FunctionUrls::notFound);
        return report(latest.region(), target.arn(), config);
    }

    FunctionUrlConfig update(RequestContext context, UpdateFunctionUrlConfigRequest request) {
        Target target = target(context, request.functionName(), request.qualifier());
        String authType = authType(request.authType(), false);
        String invokeMode = invokeMode(request.invokeMode());
        FunctionUrlModel.Cors cors = request.cors() == null ? null : FunctionUrlCors.validate(request.cors());
        FunctionRecord latest = target.latest();
        UrlConfig updated = functions.changeAttachment(Attachment.FUNCTION_URL, latest.accountId(), latest.region(), latest.name(),
                target.qualifier(), UrlConfig.class, existing -> {
                    if (existing == null) {
                        throw notFound();
                    }
                    return new UrlConfig(existing.urlId(), authType == null ? existing.authType() : authType,
                            cors == null ? existing.cors() : cors, invokeMode == null ? existing.invokeMode() : invokeMode,
                            existing.creationTime(), TIME.format(clock.instant()));
                }).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name())).orElseThrow();
        return report(latest.region(), target.arn(), updated);
    }

    Empty delete(RequestContext context, FunctionUrlConfigRequest request) {
        Target target = target(context, request.functionName(), request.qualifier());
        FunctionRecord latest = target.latest();
        String[] urlId = new String[1];
        functions.changeAttachment(Attachment.FUNCTION_URL, latest.accountId(), latest.region(), latest.name(), target.qualifier(),
                UrlConfig.class, existing -> {
                    if (existing == null) {
                        throw notFound();
                    }
                    urlId[0] = existing.urlId();
                    return null;
                }).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
        store.delete(INDEX, indexKey(urlId[0]));
        return new Empty();
    }

    ListFunctionUrlConfigsResponse list(RequestContext context, ListFunctionUrlConfigsRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), null);
        int maxItems = request.maxItems() == null ? 50 : request.maxItems();
        if (maxItems < 1 || maxItems > 50) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value %s", maxItems,
                    maxItems < 1 ? "greater than or equal to 1" : "less than or equal to 50");
        }
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        List<FunctionUrlConfig> all = new ArrayList<>();
        functions.attachments(Attachment.FUNCTION_URL, latest.accountId(), latest.region(), latest.name(), UrlConfig.class)
                .forEach((qualifier, config) -> all.add(report(latest.region(), arn(latest, qualifier), config)));
        int start = 0;
        if (request.marker() != null) {
            while (start < all.size() && !all.get(start).functionArn().equals(request.marker())) {
                start++;
            }
            start++;
        }
        List<FunctionUrlConfig> page = all.subList(Math.min(start, all.size()), Math.min(start + maxItems, all.size()));
        String next = start + maxItems < all.size() ? page.getLast().functionArn() : null;
        return new ListFunctionUrlConfigsResponse(List.copyOf(page), next);
    }

    /** The URL a host label names, with its config; empty when there is none (or it was deleted). */
    Optional<Found> find(String urlId) {
        if (urlId.length() != 32) {
            return Optional.empty();
        }
        byte[] value = store.get(INDEX, indexKey(urlId));
        if (value == null) {
            return Optional.empty();
        }
        Location location = decode(value, Location.class);
        return config(location).filter(config -> config.urlId().equals(urlId)).map(config -> new Found(location, config));
    }

    /** The URL of an id: {@code http://<id>.lambda-url.<region>.<host>:<port>/}. */
    String url(String urlId, String region) {
        int port = settings.endpoint().getPort();
        return "http://" + urlId + ".lambda-url." + region + "." + settings.urlHostname() + (port < 0 ? "" : ":" + port) + "/";
    }

    private Optional<UrlConfig> config(Location location) {
        return functions.attachment(Attachment.FUNCTION_URL, location.accountId(), location.region(), location.name(), location.qualifier(),
                UrlConfig.class);
    }

    /** A fresh id, written to the index pointing at {@code location}. */
    private String reserveId(Location location) {
        byte[] value = encode(location);
        return store.transaction(txn -> {
            while (true) {
                StringBuilder id = new StringBuilder(32);
                for (int i = 0; i < 32; i++) {
                    id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
                }
                byte[] key = indexKey(id.toString());
                if (txn.get(INDEX, key) == null) {
                    txn.put(INDEX, key, value);
                    return id.toString();
                }
            }
        });
    }

    private record Target(FunctionRecord latest, String qualifier, String arn) {}

    private Target target(RequestContext context, String functionName, String qualifier) {
        if (qualifier != null && (qualifier.isEmpty() || qualifier.length() > 128 || !QUALIFIER.matcher(qualifier).matches())) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: %s",
                    qualifier, QUALIFIER_PATTERN);
        }
        FunctionReference reference = FunctionRules.reference(functionName, qualifier);
        if (reference.qualifier() != null && VersionOperations.isVersionNumber(reference.qualifier())) {
            // A version in the function name (name:3): AWS allows URLs on aliases and $LATEST only.
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: %s",
                    reference.qualifier(), QUALIFIER_PATTERN);
        }
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        String q = reference.qualifier() == null || reference.qualifier().equals(FunctionRecord.LATEST) ? "" : reference.qualifier();
        // An alias must exist (its not-found names it).
        versions.qualified(latest, reference.qualifier(), false);
        return new Target(latest, q, arn(latest, q));
    }

    private static String arn(FunctionRecord latest, String qualifier) {
        return qualifier.isEmpty() ? latest.arn() : latest.arn() + ":" + qualifier;
    }

    private FunctionUrlConfig report(String region, String arn, UrlConfig config) {
        return new FunctionUrlConfig(url(config.urlId(), region), arn, config.authType(), config.cors(), config.creationTime(),
                config.lastModifiedTime(), config.invokeMode());
    }

    private static String authType(String authType, boolean required) {
        if (authType == null) {
            if (required) {
                throw FunctionRules.notNull("authType");
            }
            return null;
        }
        if (!authType.equals("NONE") && !authType.equals("AWS_IAM")) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [AWS_IAM, NONE]",
                    authType);
        }
        return authType;
    }

    private static String invokeMode(String invokeMode) {
        if (invokeMode == null) {
            return null;
        }
        if (!invokeMode.equals("BUFFERED") && !invokeMode.equals("RESPONSE_STREAM")) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]",
                    invokeMode);
        }
        return invokeMode;
    }

    private static AwsException notFound() {
        return new AwsException(LambdaErrors.RESOURCE_NOT_FOUND, "The resource you requested does not exist.", Map.of("Type", "User"), null);
    }

    private static byte[] indexKey(String urlId) {
        return Key.builder().add(urlId).build();
    }

    private static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T decode(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored " + type.getSimpleName(), e);
        }
    }
}
