package org.touchpointhub.company;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompanyKeyTests {

    @Test // #6
    void aCorporateEmailHostIsCutToItsRegistrableDomain() {
        CompanyKey key = CompanyKey.of("mail.acme.co.uk", "ACME Ltd.", "jane@mail.acme.co.uk").orElseThrow();

        assertThat(key).isEqualTo(new CompanyKey("acme.co.uk", "acme.co.uk", "acme", "acme", "ACME Ltd."));
    }

    @Test // #6
    void aDomainASourceNamedIsKeptWithItsSubdomain() {
        CompanyKey key = CompanyKey.of("https://www.eu.acme.com/", "Acme Europe", "jane@gmail.com").orElseThrow();

        assertThat(key.domain()).isEqualTo("eu.acme.com");
        assertThat(key.registrable()).isEqualTo("acme.com");
        assertThat(key.normalizedName()).isEqualTo("acme europe");
    }

    @Test // #6
    void freeMailIsNoCompanyButAGivenNameIs() {
        assertThat(CompanyKey.of(null, null, "jane@gmail.com")).isEmpty();
        assertThat(CompanyKey.of("gmail.com", null, "jane@gmail.com")).isEmpty();
        assertThat(CompanyKey.of(null, "  ", "jane@mailinator.com")).isEmpty();
        CompanyKey byName = CompanyKey.of(null, "Globex GmbH", "jane@gmail.com").orElseThrow();
        assertThat(byName.domain()).isNull();
        assertThat(byName.normalizedName()).isEqualTo("globex");
    }

    @Test // #6
    void aBrokenDomainFallsBackToTheEmail() {
        CompanyKey key = CompanyKey.of("not a domain", null, "tom@sales.initech.io").orElseThrow();

        assertThat(key.domain()).isEqualTo("initech.io");
        assertThat(key.normalizedName()).isNull();
    }
}
