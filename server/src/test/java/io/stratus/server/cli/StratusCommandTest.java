package io.stratus.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StratusCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = StratusCommand.commandLine().setOut(new PrintWriter(out));
        assertThat(commandLine.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void versionNamesStratusAndTheJvm() {
        assertThat(run("--version")).startsWith("stratus ").contains("Java ");
    }

    @Test
    void startHelpListsEveryOptionWithItsEnvironmentVariable() {
        String help = run("start", "--help");

        for (String option : new String[] {"--host", "--port", "--hostname", "--storage", "--data-dir", "--durability", "--auth",
                "--region", "--max-body-size", "--shutdown-grace"}) {
            assertThat(help).contains(option);
        }
        for (String variable : new String[] {"STRATUS_HOST", "STRATUS_PORT", "STRATUS_STORAGE", "STRATUS_DATA_DIR", "STRATUS_DURABILITY",
                "STRATUS_AUTH", "STRATUS_REGION"}) {
            assertThat(help).contains(variable);
        }
    }

    @Test
    void topLevelHelpListsStart() {
        assertThat(run("--help")).contains("start");
    }
}
