package io.stratus.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InsightsEngineTest {

    private static List<List<Map.Entry<String, String>>> run(String query, int events, long seed) {
        InsightsEngine engine = new InsightsEngine(InsightsQuery.parse(query), 10_000);
        Random random = new Random(seed);
        for (int i = 0; i < events; i++) {
            // Few distinct values and times: many ties, which a sort must break by arrival.
            String message = "{\"n\":" + random.nextInt(50) + ",\"id\":" + i + "}";
            engine.add("000000000000", "/app", new LogStore.StoredEvent("s", 1_000L * random.nextInt(20), i, 0, message), "ptr-" + i);
        }
        return engine.results();
    }

    /** A sort that only limits follow keeps the rows it can show, and shows what sorting them all would. */
    @Test
    void aLimitedSortShowsWhatAFullSortWould() {
        for (long seed = 1; seed <= 5; seed++) {
            // The trailing filter that passes everything makes the engine keep every row and sort them all.
            assertThat(run("fields n, id | sort n desc | limit 15", 2_000, seed))
                    .isEqualTo(run("fields n, id | sort n desc | filter id >= 0 | limit 15", 2_000, seed));
            assertThat(run("sort @timestamp asc, n desc | limit 7 | fields id", 500, seed))
                    .isEqualTo(run("sort @timestamp asc, n desc | filter id >= 0 | limit 7 | fields id", 500, seed));
            assertThat(run("fields n | sort n", 300, seed)).hasSize(300)
                    .isEqualTo(run("fields n | sort n | filter n >= 0", 300, seed));
        }
    }
}
