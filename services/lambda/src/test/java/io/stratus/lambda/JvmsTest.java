package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmsTest {

    /** A JDK home with an executable bin/java (never run: its release file names the version). */
    private static Path jdk(Path dir, String name, String version) throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return java;
    }

    @Test
    void picksTheOldestJvmOfAtLeastTheRuntimesVersion(@TempDir Path dir) throws Exception {
        Path jdk25 = jdk(dir, "jdk-25", "25.0.1");
        Path jdk17 = jdk(dir, "jdk-17", "17.0.12");
        Path jdk21 = jdk(dir, "jdk-21", "21.0.4");
        List<Path> javas = List.of(jdk25, jdk17, jdk21);

        assertThat(Jvms.find(17, javas)).hasValueSatisfying(jvm -> assertThat(jvm.java()).isEqualTo(jdk17));
        assertThat(Jvms.find(11, javas)).hasValueSatisfying(jvm -> assertThat(jvm.version()).isEqualTo(17));
        assertThat(Jvms.find(21, javas)).hasValueSatisfying(jvm -> assertThat(jvm.java()).isEqualTo(jdk21));
        assertThat(Jvms.find(25, javas)).hasValueSatisfying(jvm -> assertThat(jvm.java()).isEqualTo(jdk25));
        assertThat(Jvms.find(26, javas)).isEmpty();
    }

    @Test
    void readsJava8sOldVersionScheme(@TempDir Path dir) throws Exception {
        assertThat(Jvms.version(jdk(dir, "jdk8", "1.8.0_402"))).contains(8);
    }

    @Test
    void looksAtJavaHomeThenTheJvmFolderThenThePath(@TempDir Path dir) throws Exception {
        Path running = jdk(dir, "running", "25");
        Path variable = jdk(dir, "variable", "21");
        Path jvmDir = Files.createDirectories(dir.resolve("jvm"));
        Path listed = jdk(jvmDir, "a-jdk", "17");
        Path onPath = jdk(dir, "path", "11");

        List<Path> candidates = Jvms.candidates(running.getParent().getParent().toString(), variable.getParent().getParent().toString(), jvmDir,
                onPath.getParent() + ":" + dir.resolve("nothing-here"));

        assertThat(candidates).containsExactly(running.toRealPath(), variable.toRealPath(), listed.toRealPath(), onPath.toRealPath());
    }

    @Test
    void findsTheJvmRunningTheseTests() {
        assertThat(Jvms.find(21)).isPresent();
    }
}
