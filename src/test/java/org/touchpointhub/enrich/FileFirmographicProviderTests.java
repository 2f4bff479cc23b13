package org.touchpointhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.touchpointhub.enrich.FirmographicProvider.Firmographics;

class FileFirmographicProviderTests {

    private static final String HEADER = "domain,industry,employees,country,parent_domain\n";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test // #6
    void readsAGoodFileWithCommentsQuotesAndParents() throws IOException {
        Path file = write("good.csv", "# Provenance: synthetic test data\n" + HEADER
                + "acme.com,Manufacturing,1001-5000,us,\n"
                + "acme.co.uk,\"Manufacturing, \"\"heavy\"\"\",250,GB,acme.com\n\n");

        FirmographicProvider provider = FirmographicProvider.file(file);

        assertThat(provider.lookup("acme.com")).contains(new Firmographics("Manufacturing", "1001-5000", "US", null, "file"));
        assertThat(provider.lookup("MAIL.acme.co.uk")).contains(
                new Firmographics("Manufacturing, \"heavy\"", "250", "GB", "acme.com", "file"));
        assertThat(provider.lookup("globex.com")).isEmpty();
        assertThat(provider.lookup("not a domain")).isEmpty();
    }

    @Test // #6
    void malformedRowsFailWithEveryProblemNamedByFileAndLine() throws IOException {
        Path file = write("bad.csv", "# provenance\n" + HEADER
                + "acme.com,Manufacturing,lots,US,\n"
                + "globex.com,Software,10,XX,\n"
                + "not_a_domain,Software,10,US,\n"
                + "initech.io,Software,10\n"
                + "umbrella.ch,\"Health,10,CH,\n"
                + "acme.com,Manufacturing,10,US,\n"
                + "hooli.com,Software,10,US,../../etc\n");

        assertThatThrownBy(() -> FirmographicProvider.file(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + ":3: employees 'lots' is not a head count or a band")
                .hasMessageContaining(file + ":4: country 'XX' is not an ISO 3166-1 alpha-2 code")
                .hasMessageContaining(file + ":5: 'not_a_domain' is not a domain name")
                .hasMessageContaining(file + ":6: expected 5 fields")
                .hasMessageContaining(file + ":7: a quoted field is not closed")
                .hasMessageContaining(file + ":8: domain acme.com is listed twice")
                .hasMessageContaining(file + ":9: parent domain is not a domain name");
    }

    @Test // #6
    void aWrongHeaderOrNoHeaderIsRefused() throws IOException {
        Path wrong = write("wrong.csv", "domain,industry\nacme.com,x\n");
        Path empty = write("empty.csv", "# only a comment\n");

        assertThatThrownBy(() -> FirmographicProvider.file(wrong)).hasMessageContaining(wrong + ":1: the header must be");
        assertThatThrownBy(() -> FirmographicProvider.file(empty)).hasMessageContaining(empty + ": no header line");
        assertThatThrownBy(() -> FirmographicProvider.file(dir.resolve("missing.csv")))
                .hasMessageContaining("missing.csv: cannot read the firmographics file");
    }

    @Test // #6
    void aChangedFileIsReadAgainAndAChangedBadFileKeepsTheRowsInForce() throws IOException {
        Path file = write("live.csv", HEADER + "acme.com,Manufacturing,10,US,\n");
        FirmographicProvider provider = FirmographicProvider.file(file);
        assertThat(provider.lookup("globex.com")).isEmpty();

        Files.writeString(file, HEADER + "acme.com,Manufacturing,10,US,\nglobex.com,Software,20,DE,\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));

        await().atMost(Duration.ofSeconds(5)).until(() -> provider.lookup("globex.com").isPresent());
        Files.writeString(file, HEADER + "acme.com,Manufacturing,many,US,\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(20)));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> provider.lookup("globex.com").isPresent());
        assertThat(provider.lookup("acme.com").orElseThrow().employees()).isEqualTo("10");
    }

    @Test // #6
    void theShippedSampleIsValidAndSaysItIsSynthetic() throws IOException {
        FirmographicProvider sample = FirmographicProvider.resource("enrich/firmographics-sample.csv");

        assertThat(sample.lookup("acme.co.uk").orElseThrow().parentDomain()).isEqualTo("acme.com");
        try (var in = FileFirmographicProviderTests.class.getResourceAsStream("/enrich/firmographics-sample.csv")) {
            assertThat(new String(in.readAllBytes())).startsWith("# Provenance: SYNTHETIC");
        }
    }
}
