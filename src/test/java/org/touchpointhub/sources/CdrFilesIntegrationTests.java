package org.touchpointhub.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** {@code routes/cdr-files.yaml}: call detail records dropped as CSV files become call touchpoints. */
class CdrFilesIntegrationTests extends SourcesTestSupport {

    @Value("${hub.cdr.dir}")
    Path dir;

    @Test // #5
    void asteriskMasterCsvBecomesCallsAndMovesToDone() throws IOException {
        // given Asterisk's real Master.csv rows: two calls between extensions 8001/8002, one from line 7001 in, one out
        byte[] csv = fixture("phone-cdr/asterisk-Master.sample.csv");

        // when the file is dropped into the CDR folder (the test's internal numbers are 8xxx)
        String name = drop("Master-" + UUID.randomUUID() + ".csv", csv);

        // then it moves to .done/, the outside calls are touchpoints and the internal ones are not
        await().atMost(WAIT).until(() -> Files.exists(dir.resolve(".done").resolve(name)));
        await().atMost(WAIT).until(() -> touchpointType("cdr", "cdr:1598364701.4").isPresent());
        assertThat(touchpointType("cdr", "cdr:1598519380.114")).contains("call_inbound");
        assertThat(touchpointType("cdr", "cdr:1598364701.4")).contains("call_outbound");
        awaitIdle();
        assertThat(jdbc.queryForObject("select count(*) from events where connector = 'cdr' and event_id in "
                + "('cdr:1598518960.99', 'cdr:1598518936.86')", Long.class)).isZero();
        assertThat(Files.exists(dir.resolve(".failed").resolve(name + ".report.txt"))).isFalse();
    }

    @Test // #5
    void partlyBadExportKeepsItsGoodRowsAndIsReportedInFailed() throws IOException {
        // given a PBX export with its own column order (a header row) and two bad rows among two good ones
        String csv = """
                calldate,src,dst,disposition,duration,billsec,uniqueid
                2024-05-02 09:15:00,+14155550101,8001,ANSWERED,95,80,pbx-1001
                2024-05-02 09:20:00,+14155550109,8001,ANSWERED,ninety,80,pbx-1002
                2024-05-02 09:25:00,+14155550109,,ANSWERED,10,5,pbx-1003
                2024-05-02 09:30:00,+14155550102,8002,NO ANSWER,20,0,pbx-1004
                """;

        // when it is dropped
        String name = drop("export-" + UUID.randomUUID() + ".csv", csv.getBytes(StandardCharsets.UTF_8));

        // then the good rows are calls of their callers, and the file and its report are in .failed/
        Path report = dir.resolve(".failed").resolve(name + ".report.txt");
        await().atMost(WAIT).until(() -> Files.exists(dir.resolve(".failed").resolve(name)) && Files.exists(report));
        assertThat(Files.readString(report)).contains("2 bad row(s)", "line 3: duration 'ninety'", "line 4: column dst is empty");
        assertThat(types(awaitCustomer("phone", "+14155550101"))).containsExactly("call_inbound");
        long missed = awaitCustomer("phone", "+14155550102");
        await().atMost(WAIT).until(() -> types(missed).size() == 1);
        assertThat(types(missed)).containsExactly("call_missed");
        assertThat(customerByKey("phone", "+14155550109")).isEmpty();
        assertThat(Files.exists(dir.resolve(".done").resolve(name))).isFalse();
    }

    /** Writes the file beside the folder and moves it in, as a PBX or scp should, so no half file is read. */
    private String drop(String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.write(dir.getParent().resolve(name + ".part"), content);
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return name;
    }
}
