package org.touchpointhub.company;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.touchpointhub.canonical.CanonicalTouchpoint;
import org.touchpointhub.canonical.InboundEnvelope;
import org.touchpointhub.canonical.PersonFacts;
import org.touchpointhub.enrich.FirmographicProvider;
import org.touchpointhub.enrich.FirmographicProvider.Firmographics;
import org.touchpointhub.identity.MergeLedger;
import org.touchpointhub.pipeline.EventPipeline;
import org.touchpointhub.support.HubIntegrationTest;
import org.touchpointhub.support.TestSecrets;

/**
 * Companies end to end: web form posts on the hub's port (and, for facts no shipped connector maps, the pipeline's
 * import path), the background job filling firmographics from the test file and ordering the hierarchy, the admin API.
 */
class CompanyIntegrationTests extends HubIntegrationTest {

    @Autowired
    EventPipeline pipeline;
    @Autowired
    MergeLedger ledger;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    CompanyHierarchy hierarchy;
    @Autowired
    FirmographicSettings settings;
    @Autowired
    org.touchpointhub.crm.CustomerChanges changes;

    private void form(String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            body.append(body.length() == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        var response = hooks.post("/hooks/webform?token=" + TestSecrets.WEBFORM, "application/x-www-form-urlencoded",
                body.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(response.statusCode()).isEqualTo(202);
    }

    /** A touchpoint through the pipeline's import path (the evaluate command's), for attributes no web form maps. */
    private void imported(String key, String... pairs) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            attributes.put(pairs[i], pairs[i + 1]);
        }
        Instant at = Instant.now();
        CanonicalTouchpoint tp = new CanonicalTouchpoint("company-test", key, "record_imported", "import", at, "",
                new PersonFacts(attributes, Map.of()), Map.of());
        pipeline.processMapped(new InboundEnvelope("company-test", key, "record", null, at, "application/json",
                key.getBytes(StandardCharsets.UTF_8)), List.of(tp), "company-test", 50);
    }

    private Map<String, Object> company(String domain) {
        return jdbc.queryForMap("select * from companies where domain = ?", domain);
    }

    private long companyId(String domain) {
        return ((Number) company(domain).get("id")).longValue();
    }

    private Long companyOf(long customer) {
        return jdbc.queryForObject("select company_id from customers where id = ?", Long.class, customer);
    }

    private Long parentOf(String domain) {
        return jdbc.queryForObject("select parent_id from companies where domain = ?", Long.class, domain);
    }

    @Test // #6
    void aWorkEmailLinksThePersonToItsCompanyWithFirmographicsAndTheProviderNamesTheParent() {
        // given Jane at acme.com, then Tom writing from a mail host of acme.co.uk
        form("email", "jane@acme.com", "first_name", "Jane", "last_name", "Okafor-Lindqvist", "company", "Acme Inc.");
        form("email", "tom@mail.acme.co.uk", "first_name", "Tom", "last_name", "Ravensworth", "company", "ACME Ltd");

        // when
        awaitIdle();
        long jane = awaitCustomer("email", "jane@acme.com");
        long tom = awaitCustomer("email", "tom@mail.acme.co.uk");

        // then each is linked to the company of the registrable domain, never merged into one
        assertThat(companyOf(jane)).isEqualTo(companyId("acme.com"));
        assertThat(companyOf(tom)).isEqualTo(companyId("acme.co.uk"));
        assertThat(company("acme.com").get("normalized_name")).isEqualTo("acme");
        await().atMost(Duration.ofSeconds(20)).until(() -> company("acme.com").get("fetched_at") != null
                && parentOf("acme.co.uk") != null);
        assertThat(company("acme.com")).containsEntry("industry", "Manufacturing").containsEntry("employees", "1001-5000")
                .containsEntry("country", "US").containsEntry("source", "file").containsEntry("enrich_outcome", "found");
        assertThat(parentOf("acme.co.uk")).isEqualTo(companyId("acme.com"));
        assertThat((String) company("acme.co.uk").get("hierarchy_reason")).isEqualTo("provider file names parent domain acme.com");
        // and the admin API shows firmographics, children and people
        JsonNode detail = admin.get("/admin/companies/" + companyId("acme.com"));
        assertThat(detail.path("firmographics").path("industry").asText()).isEqualTo("Manufacturing");
        assertThat(detail.path("firmographics").path("outcome").asText()).isEqualTo("found");
        assertThat(detail.path("people").toString()).contains(String.valueOf(jane));
        List<Long> children = new ArrayList<>();
        detail.path("children").forEach(c -> children.add(c.path("id").asLong()));
        assertThat(children).contains(companyId("acme.co.uk"));
        JsonNode child = admin.get("/admin/companies/" + companyId("acme.co.uk"));
        assertThat(child.path("parent").path("domain").asText()).isEqualTo("acme.com");
        assertThat(child.path("people").toString()).contains(String.valueOf(tom));
        // and the CRM account gets the firmographics
        var account = new org.touchpointhub.crm.salesforce.SalesforceRecords(
                org.touchpointhub.crm.salesforce.SalesforceSettings.defaults()).account(changes.load(jane).golden()).orElseThrow();
        assertThat(account.externalId()).isEqualTo("acme.com");
        assertThat(account.fields()).containsEntry("Industry", "Manufacturing").containsEntry("BillingCountry", "US");
    }

    @Test // #6
    void theSameNameUnderACountryDomainASubdomainAndAnotherDomainBecomesAHierarchyNeverAMerge() {
        // given the German company first, then the .com, a subsidiary's site and a sister domain, all named Nimbus Wharf
        form("email", "anke@nimbus-wharf.de", "first_name", "Anke", "last_name", "Vossberg", "company", "Nimbus Wharf GmbH");
        awaitIdle();
        form("email", "bob@nimbus-wharf.com", "first_name", "Bob", "last_name", "Trelawney", "company", "Nimbus Wharf, Inc.");
        form("email", "eve@nimbuswharf-group.com", "first_name", "Eve", "last_name", "Castellanos", "company", "NIMBUS WHARF LTD");
        awaitIdle();
        imported("nimbus-eu-1", "email", "carl.nimbus@gmail.com", "first_name", "Carl", "last_name", "Pettigrew",
                "company", "Nimbus Wharf Europe", "company_domain", "https://eu.nimbus-wharf.com/");

        // when the job has ordered them
        await().atMost(Duration.ofSeconds(20)).until(() -> parentOf("nimbus-wharf.de") != null
                && parentOf("eu.nimbus-wharf.com") != null && parentOf("nimbuswharf-group.com") != null);

        // then the .com is the parent of each, with the evidence, and nothing was merged
        long com = companyId("nimbus-wharf.com");
        assertThat(parentOf("nimbus-wharf.com")).isNull();
        assertThat(parentOf("nimbus-wharf.de")).isEqualTo(com);
        assertThat(company("nimbus-wharf.de").get("hierarchy_reason"))
                .isEqualTo("country-code domain of nimbus-wharf.com, same name 'nimbus wharf'");
        assertThat(parentOf("eu.nimbus-wharf.com")).isEqualTo(com);
        assertThat(company("eu.nimbus-wharf.com").get("hierarchy_reason")).isEqualTo("subdomain of nimbus-wharf.com");
        assertThat(parentOf("nimbuswharf-group.com")).isEqualTo(com);
        assertThat(company("nimbuswharf-group.com").get("hierarchy_reason"))
                .isEqualTo("same registered name 'nimbus wharf' as nimbus-wharf.com");
        assertThat(jdbc.queryForObject("select count(*) from companies where registrable in ('nimbus-wharf.com', "
                + "'nimbus-wharf.de', 'nimbuswharf-group.com')", Long.class)).isEqualTo(4);

        // and a person who names the company without a domain is linked to the top of it
        form("email", "dora.nimbus@gmail.com", "first_name", "Dora", "last_name", "Fairweather", "company", "Nimbus Wharf");
        awaitIdle();
        assertThat(companyOf(awaitCustomer("email", "dora.nimbus@gmail.com"))).isEqualTo(com);
        JsonNode byName = admin.get("/admin/companies?name=" + URLEncoder.encode("NIMBUS WHARF B.V.", StandardCharsets.UTF_8));
        assertThat(byName.path("total").asLong()).isEqualTo(3);
        JsonNode byDomain = admin.get("/admin/companies?domain=www.nimbus-wharf.com&size=1&page=1");
        assertThat(byDomain.path("total").asLong()).isEqualTo(2);
        assertThat(byDomain.path("companies")).hasSize(1);
    }

    @Test // #6
    void mergeAndUnmergeLeaveEachSideLinkedToTheCompanyItsOwnRecordNames() {
        // given two different people: one with free mail and no company, one at a company
        form("email", "orla.fenwicktate@gmail.com", "first_name", "Orla", "last_name", "Fenwick-Tate");
        form("email", "bram@quillfeather-labs.com", "first_name", "Bram", "last_name", "Okonkwo-Leary", "company", "Quillfeather Labs");
        awaitIdle();
        long orla = awaitCustomer("email", "orla.fenwicktate@gmail.com");
        long bram = awaitCustomer("email", "bram@quillfeather-labs.com");
        assertThat(companyOf(orla)).isNull();
        long quillfeather = companyId("quillfeather-labs.com");

        // when a person merges them (Bram's newer e-mail survives), then undoes it; Bram's own link is gone meanwhile,
        // as for a customer merged before companies existed
        tx.executeWithoutResult(s -> ledger.merge(orla, bram, "review_accepted", "{}"));
        Long merged = companyOf(orla);
        jdbc.update("update customers set company_id = null where id = ?", bram);
        List<Long> restored = tx.execute(s -> ledger.unmerge(orla));

        // then
        assertThat(merged).isEqualTo(quillfeather);
        assertThat(restored).containsExactly(bram);
        assertThat(companyOf(orla)).isNull();
        assertThat(companyOf(bram)).isEqualTo(quillfeather);
    }

    @Test // #6
    void aFailingOrRateLimitedProviderIsCountedShownOnTheCompanyAndTriedAgainLater() {
        // given a job on a clock of its own, far ahead (so the hub's own job never claims this company), once every
        // company the hub has seen is looked up (so this job claims only this one), and a provider that fails
        Instant then = Instant.parse("2100-01-01T00:00:00Z");
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("select count(*) from companies where "
                + "fetched_at is null and domain is not null and enrich_due_at <= ?", Long.class,
                java.sql.Timestamp.from(then.plusSeconds(3600))) == 0);
        jdbc.update("insert into companies (domain, registrable, label, enrich_due_at, hierarchy_due) values "
                + "('flaky-provider.com', 'flaky-provider.com', 'flaky-provider', ?, false)", java.sql.Timestamp.from(then.minusSeconds(1)));
        AtomicReference<RuntimeException> failure = new AtomicReference<>(
                new FirmographicProvider.Unavailable("failed", "firmographics provider answered HTTP 503", null));
        FirmographicProvider provider = domain -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return Optional.of(new Firmographics("Logistics", "11-50", "NL", null, "http"));
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicReference<Instant> now = new AtomicReference<>(then);
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        FirmographicsJob job = job(provider, meters, clock);

        // when it fails, is rate limited, then answers
        assertThat(job.enrich()).isEqualTo(1);
        Map<String, Object> failed = company("flaky-provider.com");
        assertThat(job.enrich()).isZero(); // not due again before its retry time
        now.set(then.plusSeconds(31));
        failure.set(new FirmographicProvider.Unavailable("rate_limited", "over the firmographics rate limit", null));
        assertThat(job.enrich()).isEqualTo(1);
        Map<String, Object> limited = company("flaky-provider.com");
        now.set(then.plusSeconds(62));
        failure.set(null);
        assertThat(job.enrich()).isEqualTo(1);

        // then
        assertThat(failed).containsEntry("enrich_outcome", "failed").containsEntry("enrich_error", "firmographics provider answered HTTP 503")
                .containsEntry("fetched_at", null);
        assertThat(((java.sql.Timestamp) failed.get("enrich_due_at")).toInstant()).isEqualTo(then.plusSeconds(30));
        assertThat(limited).containsEntry("enrich_outcome", "rate_limited");
        assertThat(company("flaky-provider.com")).containsEntry("enrich_outcome", "found").containsEntry("industry", "Logistics")
                .containsEntry("enrich_error", null);
        assertThat(meters.counter("hub.enrich.firmographics", "outcome", "failed").count()).isEqualTo(1);
        assertThat(meters.counter("hub.enrich.firmographics", "outcome", "rate_limited").count()).isEqualTo(1);
        assertThat(meters.counter("hub.enrich.firmographics", "outcome", "found").count()).isEqualTo(1);
    }

    private FirmographicsJob job(FirmographicProvider provider, SimpleMeterRegistry meters, Clock clock) {
        return new FirmographicsJob(jdbc, tx, provider, hierarchy, new FirmographicSettings("http", null,
                "http://127.0.0.1:9/{domain}", null, null, Duration.ofSeconds(1), null, 10, Duration.ofHours(1), Duration.ofHours(1),
                5, Duration.ofSeconds(5), 50, Duration.ofSeconds(30)), meters, Optional.of(clock));
    }

    @Test // #6
    void overTheRateLimitARunStopsAndGivesTheRestOfItsBatchBack() {
        // given two companies due (on a clock of the job's own, as above) and a provider whose limit is spent
        Instant then = Instant.parse("2150-01-01T00:00:00Z");
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("select count(*) from companies where "
                + "fetched_at is null and domain is not null and enrich_due_at <= ?", Long.class,
                java.sql.Timestamp.from(then)) == 0);
        for (String domain : List.of("limited-one.com", "limited-two.com")) {
            jdbc.update("insert into companies (domain, registrable, label, enrich_due_at, hierarchy_due) values (?, ?, ?, ?, false)",
                    domain, domain, domain.substring(0, domain.indexOf('.')), java.sql.Timestamp.from(then.minusSeconds(1)));
        }
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        FirmographicProvider spent = domain -> {
            calls.incrementAndGet();
            throw new FirmographicProvider.Unavailable("rate_limited", "over the firmographics rate limit", null);
        };
        Clock clock = Clock.fixed(then, ZoneOffset.UTC);

        // when
        int looked = job(spent, new SimpleMeterRegistry(), clock).enrich();

        // then one look-up, the other company untouched and due at once
        assertThat(looked).isEqualTo(1);
        assertThat(calls.get()).isEqualTo(1);
        List<Map<String, Object>> rows = jdbc.queryForList("select enrich_outcome, enrich_attempts, enrich_due_at from companies "
                + "where domain in ('limited-one.com', 'limited-two.com') order by enrich_attempts");
        assertThat(rows.get(0)).containsEntry("enrich_outcome", null).containsEntry("enrich_attempts", 0);
        assertThat(((java.sql.Timestamp) rows.get(0).get("enrich_due_at")).toInstant()).isEqualTo(then);
        assertThat(rows.get(1)).containsEntry("enrich_outcome", "rate_limited").containsEntry("enrich_attempts", 1);
    }

    @Test // #6
    void theFailureIsVisibleOnTheAdminApi() {
        // given
        jdbc.update("insert into companies (domain, registrable, label, enrich_outcome, enrich_error, enrich_attempts, "
                + "enrich_due_at, hierarchy_due) values ('shown-error.com', 'shown-error.com', 'shown-error', 'failed', "
                + "'firmographics provider timed out after PT5S', 3, '2200-01-01T00:00:00Z', false)");

        // when
        JsonNode detail = admin.get("/admin/companies/" + companyId("shown-error.com"));

        // then
        assertThat(detail.path("firmographics").path("outcome").asText()).isEqualTo("failed");
        assertThat(detail.path("firmographics").path("error").asText()).contains("timed out");
        assertThat(detail.path("firmographics").path("attempts").asInt()).isEqualTo(3);
        assertThat(detail.path("firmographics").path("nextAttemptAt").isNull()).isFalse();
    }

    @Test // #6
    void badIdsPagingAndDomainsAreProblems() {
        for (String id : List.of("abc", "999999999", "-1", "1e3", "99999999999999999999")) {
            var response = admin.raw("/admin/companies/" + id, basic());
            assertThat(response.statusCode()).as(id).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.body()).contains("unknown-company");
        }
        assertThat(admin.raw("/admin/companies?page=-1", basic()).statusCode()).isEqualTo(400);
        assertThat(admin.raw("/admin/companies?size=100000", basic()).body()).contains("bad-paging");
        assertThat(admin.raw("/admin/companies?domain=not%20a%20domain", basic()).body()).contains("bad-domain");
        assertThat(admin.raw("/admin/companies", null).statusCode()).isEqualTo(401);
        assertThat(settings.kind()).isEqualTo("file");
    }

    private static String basic() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin-test-password".getBytes(StandardCharsets.UTF_8));
    }
}
