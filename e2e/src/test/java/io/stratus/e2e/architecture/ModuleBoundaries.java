package io.stratus.e2e.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.Set;

/**
 * The module boundaries of ARCHITECTURE.md as an ArchUnit rule: a service ({@code io.stratus.<name>})
 * depends only on core, protocol and the storage SPI — never on another service, Netty, the server,
 * or a store implementation.
 */
final class ModuleBoundaries {

    /** Top-level packages under {@code io.stratus} that are not services. */
    static final Set<String> PLATFORM = Set.of("core", "protocol", "storage", "server", "testkit", "bench", "e2e");

    /** Store implementations, which only the server may name. */
    static final Set<String> STORE_IMPLEMENTATIONS = Set.of("io.stratus.storage.MemoryStore", "io.stratus.storage.RocksDbStore");

    private ModuleBoundaries() {}

    static ArchRule servicesStayInTheirLane() {
        return ArchRuleDefinition.classes()
                .that(inAService())
                .should(dependOnlyOnTheirOwnServiceAndTheSpis())
                .allowEmptyShould(false);
    }

    private static DescribedPredicate<JavaClass> inAService() {
        return DescribedPredicate.describe("are in a service module", c -> serviceOf(c.getPackageName()) != null);
    }

    private static ArchCondition<JavaClass> dependOnlyOnTheirOwnServiceAndTheSpis() {
        return new ArchCondition<>("depend only on their own service, core, protocol and the storage SPI") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String own = serviceOf(item.getPackageName());
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass();
                    String name = target.getName();
                    String pkg = target.getPackageName();
                    String targetService = serviceOf(pkg);
                    boolean violation = (targetService != null && !targetService.equals(own))
                            || pkg.startsWith("io.netty")
                            || pkg.startsWith("org.rocksdb")
                            || pkg.startsWith("io.stratus.server")
                            || pkg.startsWith("io.stratus.testkit")
                            || STORE_IMPLEMENTATIONS.contains(name);
                    if (violation) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    /** The service a package belongs to, or null for platform and foreign packages. */
    static String serviceOf(String packageName) {
        if (!packageName.startsWith("io.stratus.")) {
            return null;
        }
        String rest = packageName.substring("io.stratus.".length());
        String top = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        return PLATFORM.contains(top) ? null : top;
    }
}
