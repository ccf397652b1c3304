package dev.vitals.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.bench.compare.Comparison.Row;
import dev.vitals.bench.compare.Comparison.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    // throughput, its p50, e2e p50, e2e p99, GET, ping, cold throughput, cold p50, API+workers CPU, broker CPU,
    // worker RSS idle, under load
    private static final Figures PEER = new Figures(416, 150, 4.6, 9.0, 2000, 6000, Double.NaN, Double.NaN, 3.0, 0.5,
            125, 130);
    private static final Figures VITALS = new Figures(1300, 40, 4.0, 8.5, 30000, 36000, 910, 60, 0.69, 0.9, 77, 90);

    @Test
    void throughputIsMetAtThreeTimesThePeer() {
        assertThat(row(PEER, VITALS, "throughput").ratio()).isEqualTo(1300.0 / 416);
        assertThat(row(PEER, VITALS, "throughput").verdict()).isEqualTo(Verdict.MET);
        assertThat(row(PEER, VITALS.withThroughput(1247, 40), "throughput").verdict()).isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void latencyIsAgainstThePeersMedianAndVitalsOwnMedian() {
        assertThat(row(PEER, VITALS, "e2e p50").verdict()).isEqualTo(Verdict.MET);
        assertThat(row(PEER, VITALS.withE2e(4.7, 8), "e2e p50").verdict()).isEqualTo(Verdict.NOT_MET);
        // p99 8.5 is more than twice the p50 4.0
        assertThat(row(PEER, VITALS, "e2e p99").ratio()).isEqualTo(8.5 / 4.0);
        assertThat(row(PEER, VITALS, "e2e p99").verdict()).isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void getByIdIsAgainstTheSameApisPing() {
        assertThat(row(PEER, VITALS, "GET by id").ratio()).isEqualTo(30000.0 / 36000);
        assertThat(row(PEER, VITALS, "GET by id").verdict()).isEqualTo(Verdict.MET);
    }

    @Test
    void coldIsAgainstTheWarmFiguresOfTheSameRun() {
        assertThat(row(PEER, VITALS, "cold: throughput").ratio()).isEqualTo(0.7);
        assertThat(row(PEER, VITALS, "cold: throughput").verdict()).isEqualTo(Verdict.MET);
        assertThat(row(PEER, VITALS, "cold: p50").ratio()).isEqualTo(1.5);
        assertThat(row(PEER, VITALS.withCold(910, 61), "cold: p50").verdict()).isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void cpuAndMemoryAreAbsoluteLimits() {
        assertThat(row(PEER, VITALS, "broker CPU").verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(row(PEER, VITALS, "API + workers CPU").verdict()).isEqualTo(Verdict.MET);
        assertThat(row(PEER, VITALS, "memory, idle").verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(row(PEER, VITALS, "memory, under load").verdict()).isEqualTo(Verdict.MET);
    }

    @Test
    void withoutThePeerItsRatiosAreNotMeasuredAndTheTableSaysSo() {
        List<Row> rows = Comparison.rows(Figures.NONE, VITALS);

        assertThat(row(Figures.NONE, VITALS, "throughput").verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(row(Figures.NONE, VITALS, "e2e p99").verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(Comparison.table(rows)).contains("| throughput, 64 clients, 2 workers (checks/s) | – | 1,300 | – |"
                + " Vitals ≥ 3× the peer | not measured |");
    }

    private static Row row(Figures peer, Figures vitals, String measure) {
        return Comparison.rows(peer, vitals).stream().filter(r -> r.measure().contains(measure)).findFirst()
                .orElseThrow();
    }
}
