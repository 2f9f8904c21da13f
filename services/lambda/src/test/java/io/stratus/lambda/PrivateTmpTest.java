package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateTmpTest {

    @Test
    void keepsTheEntriesOfTmpThatHoldWhatTheRuntimeNeeds() {
        assertThat(PrivateTmp.kept(Arrays.asList(Path.of("/tmp/stratus-lambda-env-1/tmp"), Path.of("/tmp/junit-7/data/lambda/tasks/x"),
                Path.of("/tmp/junit-7/data/runtime"), null, Path.of("/work/.stratus/lambda"), Path.of("/tmp"))))
                .containsExactly(Path.of("/tmp/stratus-lambda-env-1"), Path.of("/tmp/junit-7"));
    }

    @Test
    void theCodeIsReadOnlyInTheNamespaceAndWritableOutsideIt(@TempDir Path dir) throws Exception {
        assumeTrue(PrivateTmp.available(), "no private /tmp on this machine");
        Path code = Files.createDirectories(dir.resolve("code"));
        Path tmp = Files.createDirectories(dir.resolve("env-tmp"));

        Process process = new ProcessBuilder(PrivateTmp.wrap(tmp, List.of(code), List.of(code), List.of("/bin/sh", "-c",
                "touch \"$0/written\" 2>&1 | grep -c 'Read-only'; touch /tmp/written && echo tmp", code.toString())))
                .redirectErrorStream(true).start();

        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1\ntmp\n");
        assertThat(process.waitFor()).isZero();
        assertThat(code.resolve("written")).doesNotExist();
        assertThat(tmp.resolve("written")).exists();
        Files.writeString(code.resolve("outside"), "still writable here");
    }
}
