package io.stratus.apigateway.rest;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.ParseException;

/**
 * Renders API Gateway mapping templates with Apache Velocity: {@code $input}, {@code $util},
 * {@code $context} and {@code $stageVariables} as AWS defines them. A reference to nothing renders
 * as nothing, as on AWS (Velocity alone would print the reference). Thread-safe: the runtime and
 * parsed templates are, and each rendering has its own context.
 */
final class MappingTemplates {

    /** A template that does not parse or fails while it runs. */
    static final class TemplateException extends Exception {
        private static final long serialVersionUID = 1L;

        TemplateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final RuntimeInstance RUNTIME = runtime();
    /** Parsed templates by their text: a deployment's templates are parsed once, not on every call. */
    private static final Map<String, Template> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 1_000;

    private MappingTemplates() {}

    private static RuntimeInstance runtime() {
        Properties properties = new Properties();
        // Lines holding only a directive leave no blank line behind, as in Velocity 1.7, which AWS's templates are written for.
        properties.setProperty("parser.space_gobbling", "bc");
        properties.setProperty("runtime.strict_mode.enable", "false");
        // Templates come from API definitions: keep them away from reflection, class loaders, processes and threads.
        properties.setProperty("introspector.uberspect.class", "org.apache.velocity.util.introspection.SecureUberspector");
        RuntimeInstance runtime = new RuntimeInstance();
        runtime.init(properties);
        return runtime;
    }

    private static Template parse(String text) throws ParseException {
        Template parsed = PARSED.get(text);
        if (parsed != null) {
            return parsed;
        }
        Template template = new Template();
        template.setName("mapping-template");
        template.setRuntimeServices(RUNTIME);
        template.setData(RUNTIME.parse(new StringReader(text), template));
        template.initDocument();
        if (PARSED.size() >= MAX_PARSED) {
            PARSED.clear();
        }
        PARSED.put(text, template);
        return template;
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
            parse(template).merge(velocity, out);
        } catch (ParseException | VelocityException | IllegalArgumentException e) {
            throw new TemplateException("The mapping template failed: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
