package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentDirectoryTest {

    private static final FileTime TWO_MINUTES_AGO = FileTime.fromMillis(System.currentTimeMillis() - 120_000);

    @Test
    void holdsTheFunctionsTmpAndTheSocketAndGoesWhole(@TempDir Path temporary) throws Exception {
        EnvironmentDirectory directory = EnvironmentDirectory.create(temporary);
        assertThat(directory.tmp()).isDirectory();
        assertThat(directory.socket().getParent()).isEqualTo(directory.tmp().getParent());
        assertThat(directory.socket()).doesNotExist();
        Files.writeString(Files.createDirectories(directory.tmp().resolve("work")).resolve("scratch.txt"), "left by the function");

        directory.delete();

        assertThat(temporary).isEmptyDirectory();
    }

    @Test
    void eachEnvironmentsSandboxNamesHaveALoopbackAddressOfTheirOwn(@TempDir Path temporary) throws Exception {
        EnvironmentDirectory one = EnvironmentDirectory.create(temporary);
        EnvironmentDirectory other = EnvironmentDirectory.create(temporary);

        String first = one.writeHosts();
        String second = other.writeHosts();

        assertThat(first).matches("127\\.100\\.\\d{1,3}\\.\\d{1,3}").isNotEqualTo(second);
        assertThat(Files.readString(one.hosts())).endsWith("\n" + first + " sandbox.localdomain sandbox\n");
        // The names can be listened on at that address, as an extension does.
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(first))) {
            assertThat(listening.getInetAddress().getHostAddress()).isEqualTo(first);
        }
    }

    @Test
    void aKilledServersDirectoriesAreSweptLiveYoungOrUnjudgeableOnesAreNot(@TempDir Path temporary) throws Exception {
        // A server killed without stopping leaves its environments' directories, their sockets refusing connections.
        EnvironmentDirectory dead = EnvironmentDirectory.create(temporary);
        Files.writeString(dead.tmp().resolve("scratch.txt"), "left by the function");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(dead.socket())).close();
        Files.setLastModifiedTime(dead.socket(), TWO_MINUTES_AGO);
        // Refusing too, but just bound: maybe not listening yet.
        EnvironmentDirectory young = EnvironmentDirectory.create(temporary);
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(young.socket())).close();
        // No socket at all: an environment still starting, or one whose path was too long for a socket.
        EnvironmentDirectory socketless = EnvironmentDirectory.create(temporary);
        Files.setLastModifiedTime(socketless.tmp().getParent(), TWO_MINUTES_AGO);
        EnvironmentDirectory live = EnvironmentDirectory.create(temporary);
        try (RuntimeApiServer api = RuntimeApiServer.start(live.socket())) {
            Files.setLastModifiedTime(live.socket(), TWO_MINUTES_AGO);

            EnvironmentDirectory.sweepAbandoned(temporary);

            assertThat(dead.tmp().getParent()).doesNotExist();
            assertThat(young.socket()).exists();
            assertThat(socketless.tmp()).isDirectory();
            assertThat(live.socket()).exists();
        }
    }
}
