package org.touchpointhub.platform;

import java.util.Locale;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with a {@code hub.crm.kind} the hub cannot deliver to, rather than silently falling back to
 * preview and leaving an admin to wonder why nothing reaches the CRM.
 */
@Component
class CrmKindCheck implements InitializingBean {

    private final String kind;

    CrmKindCheck(@Value("${hub.crm.kind:preview}") String kind) {
        this.kind = kind.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public void afterPropertiesSet() {
        if (kind.equals("hubspot")) {
            throw new IllegalStateException("hub.crm.kind=hubspot: HubSpot delivery is not available in this version; "
                    + "use salesforce, or preview to see the writes the hub would make");
        }
        if (!kind.equals("preview") && !kind.equals("salesforce")) {
            throw new IllegalStateException("hub.crm.kind must be preview, salesforce or hubspot, was '" + kind + "'");
        }
    }
}
