package io.stratus.apigateway.rest;

import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.exception.VelocityException;

/**
 * Renders API Gateway mapping templates with Apache Velocity: {@code $input}, {@code $util},
 * {@code $context} and {@code $stageVariables} as AWS defines them. A reference to nothing renders
 * as nothing, as on AWS (Velocity alone would print the reference). Thread-safe: the engine is,
 * and each rendering has its own context.
 */
final class MappingTemplates {

    /** A template that does not parse or fails while it runs. */
    static final class TemplateException extends Exception {
        private static final long serialVersionUID = 1L;

        TemplateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final VelocityEngine ENGINE = engine();

    private MappingTemplates() {}

    private static VelocityEngine engine() {
        Properties properties = new Properties();
        // Lines holding only a directive leave no blank line behind, as in Velocity 1.7, which AWS's templates are written for.
        properties.setProperty("parser.space_gobbling", "bc");
        properties.setProperty("runtime.strict_mode.enable", "false");
        // Templates come from API definitions: keep them away from reflection, class loaders, processes and threads.
        properties.setProperty("introspector.uberspect.class", "org.apache.velocity.util.introspection.SecureUberspector");
        VelocityEngine engine = new VelocityEngine(properties);
        engine.init();
        return engine;
    }

    /**
     * @param context {@code $context}: request id, stage, identity … and the mutable
     *     {@code responseOverride} / {@code requestOverride} maps
     */
    static String render(String template, TemplateInput input, Map<String, Object> context, Map<String, String> stageVariables)
            throws TemplateException {
        VelocityContext velocity = new VelocityContext();
        velocity.put("input", input);
        velocity.put("util", TemplateUtil.INSTANCE);
        velocity.put("context", context);
        velocity.put("stageVariables", stageVariables);
        EventCartridge events = new EventCartridge();
        events.addEventHandler((ReferenceInsertionEventHandler) (ctx, reference, value) -> value == null ? "" : value);
        events.attachToContext(velocity);
        StringWriter out = new StringWriter();
        try {
            ENGINE.evaluate(velocity, out, "mapping-template", template);
        } catch (VelocityException | IllegalArgumentException e) {
            throw new TemplateException("The mapping template failed: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
