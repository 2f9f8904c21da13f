package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.storage.MemoryStore;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an update's states mean for the code and configuration invocations run. */
class FunctionRecordTest {

    private static FunctionRecord function(String codeSha256, String revisionId, int timeout) {
        return new FunctionRecord("000000000000", "us-east-1", "fn", "nodejs20.x", "arn:aws:iam::000000000000:role/r", "index.handler", "",
                timeout, 128, Map.of(), codeSha256, 1, Instant.EPOCH, revisionId, FunctionRecord.LATEST, 0, null);
    }

    @Test
    void anUpdateInProgressRunsTheFunctionAsItWasUntilItIsSuccessful() {
        FunctionRecord before = function("b2xk", "r1", 3);
        FunctionRecord updating = function("bmV3", "r2", 5).updating(before);

        assertThat(updating.lastUpdateStatus()).isEqualTo(FunctionRecord.IN_PROGRESS);
        assertThat(updating.running()).isEqualTo(before);
        FunctionRecord ready = updating.ready();
        assertThat(ready.running()).isSameAs(ready);
        assertThat(ready.previous()).isNull();
    }

    @Test
    void aFailedUpdateKeepsRunningTheFunctionAsItWasAndTheNextUpdateStartsFromThat() {
        FunctionRecord before = function("b2xk", "r1", 3);
        FunctionRecord failed = function("YmFk", "r2", 5).updating(before).failed("could not extract");

        assertThat(failed.state()).isEqualTo(FunctionRecord.ACTIVE);
        assertThat(failed.lastUpdateStatus()).isEqualTo(FunctionRecord.FAILED);
        assertThat(failed.running()).isEqualTo(before);
        // The failed update never ran: while the next one is in progress, the one before the failure still runs.
        FunctionRecord next = function("bmV4dA", "r3", 7).updating(failed);
        assertThat(next.running()).isEqualTo(before);
        assertThat(next.running().previous()).isNull();
    }

    @Test
    void aRecordStoredBeforeEphemeralStorageSizesHasAwsDefault() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules();
        com.fasterxml.jackson.databind.node.ObjectNode stored = json.valueToTree(function("b2xk", "r1", 3));
        stored.remove("ephemeralStorage");

        assertThat(json.treeToValue(stored, FunctionRecord.class).ephemeralStorage()).isEqualTo(512);
        assertThat(json.treeToValue(stored, FunctionRecord.class).configuration().ephemeralStorage().size()).isEqualTo(512);
    }

    @Test
    void theFunctionItStillRunsIsStoredWithIt() {
        try (MemoryStore store = new MemoryStore()) {
            FunctionStore functions = new FunctionStore(store);
            FunctionRecord before = function("b2xk", "r1", 3);
            functions.create(function("bmV3", "r2", 5).updating(before));

            FunctionRecord stored = functions.get("000000000000", "us-east-1", "fn").orElseThrow();
            assertThat(stored.running()).isEqualTo(before);
            assertThat(functions.everything()).containsExactly(stored, before);
            // A published version is a snapshot of its own: it runs itself.
            assertThat(stored.publish(1, "", Instant.EPOCH, "r9").running().codeSha256()).isEqualTo("bmV3");
        }
    }
}
