package io.stratus.e2e.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** The build, not review, keeps the module boundaries. */
class ModuleBoundariesTest {

    @Test
    void everyServiceDependsOnlyOnItselfAndTheSpis() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.stratus");

        ModuleBoundaries.servicesStayInTheirLane().check(production);
    }

    @Test
    void ruleCatchesAServiceThatImportsAnotherServiceNettyOrAStoreImplementation() throws Exception {
        JavaClasses leaky = new ClassFileImporter().importClasses(Class.forName("io.stratus.fakeservice.LeakyService"));

        EvaluationResult result = ModuleBoundaries.servicesStayInTheirLane().evaluate(leaky);

        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains("io.stratus.sts.StsService")
                .contains("io.netty.channel.Channel")
                .contains("io.stratus.storage.MemoryStore");
    }
}
