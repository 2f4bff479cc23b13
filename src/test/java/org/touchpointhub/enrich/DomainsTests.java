package org.touchpointhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainsTests {

    @Test // #6
    void registrable_cutsAMailHostToTheDomainUnderThePublicSuffix() {
        assertThat(Domains.registrable("mail.acme.co.uk")).contains("acme.co.uk");
        assertThat(Domains.registrable("eu.sales.acme.com")).contains("acme.com");
        assertThat(Domains.registrable("acme.com.au")).contains("acme.com.au");
    }

    @Test // #6
    void registrable_keepsPrivateSuffixOwnersApart() {
        // github.io is a private suffix on the Public Suffix List: every subdomain has another owner
        assertThat(Domains.registrable("alice.github.io")).contains("alice.github.io");
    }

    @Test // #6
    void host_cleansUrlsCaseWwwAndUnicode() {
        assertThat(Domains.host(" https://WWW.Acme.COM/about?x=1 ")).contains("acme.com");
        assertThat(Domains.host("acme.com.")).contains("acme.com");
        assertThat(Domains.host("jane@Acme.com")).contains("acme.com");
        assertThat(Domains.host("bücher.de")).contains("xn--bcher-kva.de");
    }

    @Test // #6
    void host_refusesWhatIsNoCompanyDomain() {
        assertThat(Domains.host(null)).isEmpty();
        assertThat(Domains.host("")).isEmpty();
        assertThat(Domains.host("co.uk")).isEmpty();
        assertThat(Domains.host("localhost")).isEmpty();
        assertThat(Domains.host("127.0.0.1")).isEmpty();
        assertThat(Domains.host("acme..com")).isEmpty();
        assertThat(Domains.host("a b.com")).isEmpty();
        assertThat(Domains.host("x".repeat(300) + ".com")).isEmpty();
    }

    @Test // #6
    void countryCoded_tellsCountryCodeFromGenericDomains() {
        assertThat(Domains.countryCoded("acme.de")).isTrue();
        assertThat(Domains.countryCoded("acme.co.uk")).isTrue();
        assertThat(Domains.countryCoded("acme.com")).isFalse();
        assertThat(Domains.label("mail.acme.co.uk")).contains("acme");
    }

    @Test // #6
    void aCorporateAddressNamesItsRegistrableDomainAndFreeMailNamesNone() {
        org.assertj.core.api.Assertions.assertThat(EmailAddresses.companyDomain("jane@mail.acme.co.uk")).contains("acme.co.uk");
        org.assertj.core.api.Assertions.assertThat(EmailAddresses.companyDomain("q1.person@hooli-q.test")).contains("hooli-q.test");
        org.assertj.core.api.Assertions.assertThat(EmailAddresses.companyDomain("someone@gmail.com")).isEmpty();
        org.assertj.core.api.Assertions.assertThat(EmailAddresses.companyDomain("not an address")).isEmpty();
    }
}
