package org.touchpointhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizerTests {

    @Test // #6
    void gmailDotsAndPlusTagsShareOneMatchKey() {
        // given
        String display = "John.Smith+News@GoogleMail.com";
        // when
        String key = EmailAddresses.matchKey(display).orElseThrow();
        // then
        assertThat(key).isEqualTo("johnsmith@gmail.com");
        assertThat(display).isEqualTo("John.Smith+News@GoogleMail.com");
    }

    @Test // #6
    void corporateDomainsKeepDotsAndPlusSigns() {
        // given
        String raw = "j.smith+x@acme-corp.co.uk";
        // when
        String key = EmailAddresses.matchKey(raw).orElseThrow();
        // then
        assertThat(key).isEqualTo("j.smith+x@acme-corp.co.uk");
        assertThat(EmailAddresses.companyFromDomain("acme-corp.co.uk")).contains("acme corp");
        assertThat(EmailAddresses.matchKey("01/31/13")).isEmpty();
    }

    @Test // #6
    void freeMailAndDisposableDomainsAreFlagged() {
        // given / when / then
        assertThat(EmailAddresses.isFreeMail("gmail.com")).isTrue();
        assertThat(EmailAddresses.isDisposable("mailinator.com")).isTrue();
        assertThat(EmailAddresses.isFreeMail("acme-corp.co.uk")).isFalse();
        assertThat(EmailAddresses.companyFromDomain("gmail.com")).isEmpty();
    }

    @Test // #6
    void namesFoldDiacriticsAndKnowNicknames() {
        // given / when / then
        assertThat(PersonNames.fold("  José-María ÖZTÜRK ")).isEqualTo("jose maria ozturk");
        assertThat(PersonNames.sameGivenName("Bill", "William")).isTrue();
        assertThat(PersonNames.sameGivenName("Liz", "Elizabeth")).isTrue();
        assertThat(PersonNames.canonicalGivenName("bill")).isEqualTo("william");
        assertThat(PersonNames.sameGivenName("Bill", "Mary")).isFalse();
    }

    @Test // #6
    void companyLegalFormsAreStripped() {
        // given / when / then
        assertThat(CompanyNames.normalize("ACME Inc.")).isEqualTo("acme");
        assertThat(CompanyNames.normalize("Akzo Nobel N.V.")).isEqualTo("akzo nobel");
        assertThat(CompanyNames.normalize("Müller GmbH & Co. KG")).isEqualTo("muller");
    }

    @Test // #6
    void phonesBecomeE164AndPostcodesCompact() {
        // given / when / then
        assertThat(PhoneNumbers.e164("020 7946 0018", "GB")).contains("+442079460018");
        assertThat(PhoneNumbers.isMobile("07400 123456", "GB")).isTrue();
        assertThat(PhoneNumbers.matchValue("386-5286", "US")).contains("3865286");
        assertThat(Addresses.normalizePostcode("sw1a 1aa")).isEqualTo("SW1A1AA");
        assertThat(Addresses.normalizeStreet("27 Washington Street")).isEqualTo("27 washington st");
    }
}
