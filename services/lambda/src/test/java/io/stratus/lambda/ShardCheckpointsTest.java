package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.lambda.ShardCheckpoints.Checkpoint;
import io.stratus.storage.MemoryStore;
import org.junit.jupiter.api.Test;

class ShardCheckpointsTest {

    private final ShardCheckpoints checkpoints = new ShardCheckpoints(new MemoryStore());

    @Test
    void keepsOneCheckpointPerMappingAndShardAndForgetsAMappingsOnly() {
        checkpoints.put("m-1", "shard-a", Checkpoint.at("7"));
        checkpoints.put("m-1", "shard-b", Checkpoint.FINISHED);
        checkpoints.put("m-10", "shard-a", new Checkpoint("3", "00000000000000000004", false));

        assertThat(checkpoints.get("m-1", "shard-a")).contains(new Checkpoint("7", null, false));
        assertThat(checkpoints.get("m-1", "shard-b")).contains(Checkpoint.FINISHED);
        assertThat(checkpoints.get("m-1", "shard-c")).isEmpty();

        checkpoints.deleteAll("m-1");

        assertThat(checkpoints.get("m-1", "shard-a")).isEmpty();
        assertThat(checkpoints.get("m-1", "shard-b")).isEmpty();
        assertThat(checkpoints.get("m-10", "shard-a")).as("a mapping whose id starts the same is not touched")
                .contains(new Checkpoint("3", "00000000000000000004", false));
    }
}
