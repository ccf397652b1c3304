package dev.vitals.bench.compare;

/**
 * What one system measured in a comparison. {@code NaN} means "not measured" (the peer has no cold figures, a
 * Vitals not started by the comparison has no CPU or memory figures, no {@code wrk} means no GET rates).
 *
 * @param throughput         checks per second, 64 clients, after the warm-up
 * @param throughputP50Ms    median latency of those checks, ms
 * @param e2eP50Ms           one client, one check after the other: median, ms
 * @param e2eP99Ms           the same, 99th percentile, ms
 * @param getRate            GETs by id per second (wrk, 64 connections)
 * @param pingRate           {@code GET /health/ping} per second of the same API process (wrk, 64 connections)
 * @param coldThroughput     checks per second in the first seconds after ready, 64 clients
 * @param coldP50Ms          median latency of those, ms
 * @param apiWorkersCpuMs    CPU (user + system) of the API and the workers per check in the throughput run, ms
 * @param brokerCpuMs        CPU of the broker per check in the same run, ms
 * @param workerRssIdleMb    resident memory of one worker (the largest) when ready, before any check, MB
 * @param workerRssLoadMb    the most resident memory of one worker seen during the throughput run, MB
 */
public record Figures(double throughput, double throughputP50Ms, double e2eP50Ms, double e2eP99Ms, double getRate,
                      double pingRate, double coldThroughput, double coldP50Ms, double apiWorkersCpuMs,
                      double brokerCpuMs, double workerRssIdleMb, double workerRssLoadMb) {

    /** Nothing measured yet. */
    public static final Figures NONE = new Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    Figures withThroughput(double perSecond, double p50Ms) {
        return new Figures(perSecond, p50Ms, e2eP50Ms, e2eP99Ms, getRate, pingRate, coldThroughput, coldP50Ms,
                apiWorkersCpuMs, brokerCpuMs, workerRssIdleMb, workerRssLoadMb);
    }

    Figures withE2e(double p50Ms, double p99Ms) {
        return new Figures(throughput, throughputP50Ms, p50Ms, p99Ms, getRate, pingRate, coldThroughput, coldP50Ms,
                apiWorkersCpuMs, brokerCpuMs, workerRssIdleMb, workerRssLoadMb);
    }

    Figures withGets(double get, double ping) {
        return new Figures(throughput, throughputP50Ms, e2eP50Ms, e2eP99Ms, get, ping, coldThroughput, coldP50Ms,
                apiWorkersCpuMs, brokerCpuMs, workerRssIdleMb, workerRssLoadMb);
    }

    Figures withCold(double perSecond, double p50Ms) {
        return new Figures(throughput, throughputP50Ms, e2eP50Ms, e2eP99Ms, getRate, pingRate, perSecond, p50Ms,
                apiWorkersCpuMs, brokerCpuMs, workerRssIdleMb, workerRssLoadMb);
    }

    Figures withCpu(double apiWorkersMs, double brokerMs) {
        return new Figures(throughput, throughputP50Ms, e2eP50Ms, e2eP99Ms, getRate, pingRate, coldThroughput,
                coldP50Ms, apiWorkersMs, brokerMs, workerRssIdleMb, workerRssLoadMb);
    }

    Figures withMemory(double idleMb, double loadMb) {
        return new Figures(throughput, throughputP50Ms, e2eP50Ms, e2eP99Ms, getRate, pingRate, coldThroughput,
                coldP50Ms, apiWorkersCpuMs, brokerCpuMs, idleMb, loadMb);
    }
}
