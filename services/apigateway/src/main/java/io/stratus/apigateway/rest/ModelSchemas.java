package io.stratus.apigateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.stratus.apigateway.rest.RestApiModel.Model;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schemas (draft 4) of one REST API's models, compiled for validating request bodies. A
 * model may refer to another of its API's models as
 * {@code https://apigateway.amazonaws.com/restapis/<api>/models/<name>}, as on AWS; such references
 * resolve to the models given here and never reach the network, and neither does any other
 * reference. Thread-safe: compiled schemas are cached in a concurrent map.
 */
final class ModelSchemas {

    static final String MODEL_IRI_PREFIX = "https://apigateway.amazonaws.com/restapis/";
    private static final Pattern MODEL_REFERENCE = Pattern.compile("https://apigateway\\.amazonaws\\.com/restapis/([^/\"#]+)/models/([^/\"#]+)");
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry META = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private static final Schema DRAFT_4 = META.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_4.getDialectId()));

    /** Why a body failed its model, in the words of the validator; empty when it passed. */
    record Result(List<String> errors) {

        boolean valid() {
            return errors.isEmpty();
        }

        /** What {@code $context.error.validationErrorString} holds: the errors as a list. */
        String validationErrorString() {
            return "[" + String.join(", ", errors) + "]";
        }
    }

    private final String apiId;
    private final Map<String, String> schemasByIri = new HashMap<>();
    private final SchemaRegistry registry;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    ModelSchemas(String apiId, Collection<Model> models) {
        this.apiId = apiId;
        for (Model model : models) {
            if (model.schema() != null) {
                schemasByIri.put(iri(apiId, model.name()), model.schema());
            }
        }
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4, builder -> builder
                .schemas(schemasByIri::get)
                .schemaLoader(loader -> loader.fetchRemoteResources(false).resourceLoaders(r -> r.resources(schemasByIri::get))));
    }

    static String iri(String apiId, String modelName) {
        return MODEL_IRI_PREFIX + apiId + "/models/" + modelName;
    }

    /**
     * Validates {@code body} against the model {@code modelName}. An empty body counts as an empty
     * object, as on AWS; a body that is not JSON fails.
     */
    Result validate(String modelName, byte[] body) {
        if (!schemasByIri.containsKey(iri(apiId, modelName))) {
            return new Result(List.of());
        }
        Schema schema = compiled.computeIfAbsent(modelName, name -> registry.getSchema(SchemaLocation.of(iri(apiId, name))));
        JsonNode instance;
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            instance = JsonNodeFactory.instance.objectNode();
        } else {
            try {
                instance = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return new Result(List.of("Invalid JSON: " + e.getOriginalMessage()));
            }
        }
        try {
            List<String> errors = new ArrayList<>();
            for (Error error : schema.validate(instance)) {
                errors.add(error.toString());
            }
            return new Result(List.copyOf(errors));
        } catch (SchemaException e) {
            return new Result(List.of(e.getMessage()));
        }
    }

    /**
     * The problems of a model's schema: not JSON, not a draft 4 schema, or a reference to a model
     * of its API that {@code exists} says is not there. Empty when it is fine.
     */
    static List<String> problems(String apiId, String schema, java.util.function.Predicate<String> exists) {
        JsonNode node;
        try {
            node = JSON.readTree(schema);
        } catch (JsonProcessingException e) {
            return List.of("Invalid model schema specified");
        }
        if (node == null || !node.isObject()) {
            return List.of("Invalid model schema specified");
        }
        List<String> problems = new ArrayList<>();
        for (Error error : DRAFT_4.validate(node)) {
            problems.add("Invalid model schema specified: " + error);
        }
        for (String[] reference : references(schema)) {
            if (!reference[0].equals(apiId) || !exists.test(reference[1])) {
                problems.add("Invalid model referenced: " + iri(reference[0], reference[1]));
            }
        }
        return problems;
    }

    /** The names of this API's models a schema refers to. */
    static Set<String> referencedModels(String apiId, String schema) {
        Set<String> names = new LinkedHashSet<>();
        for (String[] reference : references(schema)) {
            if (reference[0].equals(apiId)) {
                names.add(reference[1]);
            }
        }
        return names;
    }

    private static List<String[]> references(String schema) {
        List<String[]> references = new ArrayList<>();
        Matcher matcher = MODEL_REFERENCE.matcher(schema == null ? "" : schema);
        while (matcher.find()) {
            references.add(new String[] {matcher.group(1), matcher.group(2)});
        }
        return references;
    }

    /** The model a request of this media type is validated against: its own, else {@code $default}. */
    static Optional<String> modelFor(Map<String, String> requestModels, String mediaType) {
        if (requestModels == null || requestModels.isEmpty()) {
            return Optional.empty();
        }
        String type = mediaType == null || mediaType.isEmpty() ? "application/json" : mediaType;
        for (Map.Entry<String, String> entry : requestModels.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(type)) {
                return Optional.ofNullable(entry.getValue());
            }
        }
        return Optional.ofNullable(requestModels.get("$default"));
    }
}
