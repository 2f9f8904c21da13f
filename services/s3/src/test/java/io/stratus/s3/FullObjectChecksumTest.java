package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.protocol.auth.ChecksumAlgorithm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FullObjectChecksumTest {

    @ParameterizedTest
    @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "CRC64NVME"})
    void combinedPartChecksumsAreTheWholeObjectsChecksum(ChecksumAlgorithm algorithm) {
        Random random = new Random(42);
        for (int[] sizes : new int[][] {{1}, {0, 5}, {5, 0}, {7, 13, 1}, {1024, 4096, 3}, {100_000, 65_537, 1, 9}}) {
            List<byte[]> parts = new ArrayList<>();
            List<FullObjectChecksum.Piece> pieces = new ArrayList<>();
            int total = Arrays.stream(sizes).sum();
            byte[] whole = new byte[total];
            int offset = 0;
            for (int size : sizes) {
                byte[] part = new byte[size];
                random.nextBytes(part);
                System.arraycopy(part, 0, whole, offset, size);
                offset += size;
                parts.add(part);
                pieces.add(new FullObjectChecksum.Piece(algorithm.compute(part), size));
            }
            assertThat(FullObjectChecksum.combine(algorithm, pieces)).as("%s over %s", algorithm, Arrays.toString(sizes))
                    .isEqualTo(algorithm.compute(whole));
        }
    }
}
