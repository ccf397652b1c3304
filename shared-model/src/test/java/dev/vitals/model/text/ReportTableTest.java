package dev.vitals.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.model.HealthReport;
import dev.vitals.model.json.VitalsJson;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ReportTableTest {

    private HealthReport contractReport() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/contract/report.json")) {
            return VitalsJson.newMapper().readValue(in, HealthReport.class);
        }
    }

    @Test
    void headlineNamesWorkerHostAndOverallStatus() throws Exception {
        String table = ReportTable.format(contractReport());

        assertThat(table.lines().findFirst()).hasValueSatisfying(line ->
                assertThat(line).startsWith("host-a-1 on host-a: WARNING"));
    }

    @Test
    void oneRowPerCheckWithStatusValueAndThresholds() throws Exception {
        String table = ReportTable.format(contractReport());

        assertThat(table.lines()).hasSize(2 + 5);
        assertThat(table).containsPattern("disk\\s+warning\\s+91.90 %\\s+90\\s+95\\s+disk / is 91.9 % full "
                + "\\(13.0 GB free of 160 GB\\), above the warning threshold 90 %");
        assertThat(table).containsPattern("threads\\s+ok\\s+412\\s");
    }

    @Test
    void lineGivesTheReasonsOfTheChecksThatAreNotOk() throws Exception {
        assertThat(ReportTable.line(contractReport())).isEqualTo("host-a-1 on host-a: WARNING (disk / is 91.9 % full "
                + "(13.0 GB free of 160 GB), above the warning threshold 90 %)");
    }
}
