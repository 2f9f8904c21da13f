package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceLineageTest {

    private static FunctionRecord function(String name) {
        return new FunctionRecord("000000000000", "us-east-1", name, "nodejs20.x", "arn:aws:iam::000000000000:role/r", "index.handler",
                "", 3, 128, Map.of(), "c2hh", 1, Instant.EPOCH, "r1", FunctionRecord.LATEST, 0, null);
    }

    @Test
    void aChainStartsATraceAndCountsEachFunctionItRuns() {
        FunctionRecord a = function("a");
        FunctionRecord b = function("b");
        String first = TraceLineage.NONE.next(a);
        assertThat(first).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=[0-9a-f]{8}:1");

        String second = TraceLineage.of(first).next(b);
        String third = TraceLineage.of(second).next(a);
        TraceLineage lineage = TraceLineage.of(third);
        assertThat(lineage.count(a)).isEqualTo(2);
        assertThat(lineage.count(b)).isEqualTo(1);
        assertThat(lineage.depth()).isEqualTo(2);
        // The same trace throughout, each invocation a segment of its own.
        assertThat(third.substring(0, third.indexOf(';'))).isEqualTo(first.substring(0, first.indexOf(';')));
        assertThat(third).doesNotContain(first.substring(first.indexOf(";Parent="), first.indexOf(";Sampled")));
    }

    @Test
    void theSixteenthRunIsTheLastBeforeALoop() {
        FunctionRecord a = function("a");
        String header = null;
        for (int i = 0; i < TraceLineage.LIMIT; i++) {
            assertThat(TraceLineage.of(header).loops(a)).isFalse();
            header = TraceLineage.of(header).next(a);
        }
        assertThat(TraceLineage.of(header).loops(a)).isTrue();
        assertThat(TraceLineage.of(header).loops(function("other"))).isFalse();
    }

    @Test
    void anotherServicesTraceIsContinuedAndGarbageIgnored() {
        FunctionRecord a = function("a");
        String upstream = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        assertThat(TraceLineage.of(upstream).next(a)).startsWith("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=").contains(";Sampled=1;");
        assertThat(TraceLineage.of("nonsense;Lineage=zz;Root=2-x").count(a)).isZero();
        assertThat(TraceLineage.of("Lineage=abc:99999,def:x").depth()).isZero();
        assertThat(TraceLineage.of("").next(a)).contains(":1");
    }

    @Test
    void aHeaderCountsTheSixteenFunctionsRunLast() {
        String header = null;
        for (int i = 0; i < 20; i++) {
            header = TraceLineage.of(header).next(function("f" + i));
        }
        TraceLineage lineage = TraceLineage.of(header);
        assertThat(lineage.count(function("f19"))).isEqualTo(1);
        assertThat(lineage.count(function("f4"))).isEqualTo(1);
        assertThat(lineage.count(function("f3"))).isZero();
    }
}
