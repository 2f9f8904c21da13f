package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvisionedConcurrencySplitTest {

    @Test
    void anUnweightedAliasKeepsEverythingOnItsVersion() {
        assertThat(ProvisionedConcurrencyWorker.split("3", Map.of(), 5)).containsExactly(Map.entry("3", 5));
    }

    @Test
    void theAdditionalVersionGetsItsWeightsShareRoundedAndThePrimaryTheRest() {
        assertThat(ProvisionedConcurrencyWorker.split("1", Map.of("2", 0.25), 4)).containsExactlyInAnyOrderEntriesOf(Map.of("1", 3, "2", 1));
        assertThat(ProvisionedConcurrencyWorker.split("1", Map.of("2", 0.3), 10)).containsExactlyInAnyOrderEntriesOf(Map.of("1", 7, "2", 3));
        assertThat(ProvisionedConcurrencyWorker.split("1", Map.of("2", 0.5), 3)).containsExactlyInAnyOrderEntriesOf(Map.of("1", 1, "2", 2));
    }

    @Test
    void aVersionWhoseShareRoundsToNothingGetsNoEnvironment() {
        assertThat(ProvisionedConcurrencyWorker.split("1", Map.of("2", 0.05), 4)).containsExactly(Map.entry("1", 4));
        assertThat(ProvisionedConcurrencyWorker.split("1", Map.of("2", 1.0), 2)).containsExactly(Map.entry("2", 2));
    }
}
