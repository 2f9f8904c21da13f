package io.stratus.testkit;

import io.stratus.core.StratusConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import software.amazon.awssdk.core.SdkClient;

/**
 * The JUnit 5 extension behind {@link StratusTest}: one server per test class, started before
 * the first test and closed (with its temporary data directory) after the last.
 */
public final class StratusExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StratusExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stratus(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Stratus.class || (SdkClient.class.isAssignableFrom(type) && type.isInterface());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Stratus stratus = stratus(context);
        if (type == Stratus.class) {
            return stratus;
        }
        try {
            return classContext(context).getStore(NAMESPACE).getOrComputeIfAbsent(
                    new ClientKey(stratus, type), key -> stratus.client((Class<? extends SdkClient>) type), SdkClient.class);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException("Cannot build a " + type.getName(), e);
        }
    }

    private record ClientKey(Stratus stratus, Class<?> type) {}

    private static Stratus stratus(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> start(classContext), Running.class).stratus();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static Running start(ExtensionContext context) {
        StratusTest settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), StratusTest.class)
                .orElseThrow(() -> new IllegalStateException("@StratusTest is missing on " + context.getRequiredTestClass()));
        try {
            Path dataDir = Files.createTempDirectory("stratus-test-");
            StratusConfig config = StratusConfig.defaults()
                    .withPort(0)
                    .withStorage(settings.storage(), dataDir)
                    .withAuth(settings.auth())
                    .withMaxBodyBytes(settings.maxBodyBytes());
            return new Running(new Stratus(config), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started server and its data directory, closed together when the class is done. */
    private record Running(Stratus stratus, Path dataDir) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws IOException {
            stratus.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
