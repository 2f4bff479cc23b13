package org.touchpointhub.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.dao.EmptyResultDataAccessException;
import org.touchpointhub.crm.CustomerChanges.CustomerChange;

/**
 * One delivery run over a set of claimed customers: each customer's pending change folded into one set of records,
 * sent tier by tier (parents first) in calls of up to the batch size, every per-record result read.
 *
 * <p>Dependants of a refused record are not sent in this run: a Contact whose Account was refused, or the Tasks of a
 * refused Contact, would only fail on the missing reference and bury the real error under copies. They stay
 * undelivered (touchpoints keep {@code delivered_at} null) and go out with the customer's next delivery, which a replay
 * of the dead letter starts.
 */
final class DeliveryRun {

    /** How the run ended. */
    enum End { COMPLETED, UNAVAILABLE, OVER_LIMIT }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CrmAdapter adapter;
    private final CrmObjects objects;
    private final int batchSize;
    private final double maxApiUsage;
    private final WrittenParents parents;
    private final DeliveryMetrics metrics;
    private final List<Customer> customers = new ArrayList<>();
    private String error;

    DeliveryRun(CrmAdapter adapter, CrmObjects objects, int batchSize, double maxApiUsage, WrittenParents parents,
            DeliveryMetrics metrics) {
        this.adapter = adapter;
        this.objects = objects;
        this.batchSize = Math.min(batchSize, adapter.maxBatchSize());
        this.maxApiUsage = maxApiUsage;
        this.parents = parents;
        this.metrics = metrics;
    }

    /** Loads the claimed customers' changes and maps them to records; merged-away or vanished ones get no records. */
    void load(List<Outbox.Claim> claims, Set<Long> mergedAway, CustomerChanges changes,
            Function<CustomerChange, List<CrmRecord>> mapping) {
        for (Outbox.Claim claim : claims) {
            Customer customer = new Customer(claim, objects.writeOrder().size());
            customers.add(customer);
            if (mergedAway.contains(claim.customerId())) {
                continue;
            }
            CustomerChange change;
            try {
                change = changes.load(claim.customerId());
            } catch (EmptyResultDataAccessException gone) {
                continue;
            }
            for (CrmRecord record : mapping.apply(change)) {
                customer.tiers.get(objects.tier(record.object())).add(record);
            }
        }
    }

    /** Sends everything loaded; stops at the first call the CRM could not take or when the API allocation runs short. */
    End send() {
        for (int tier = 0; tier < objects.writeOrder().size(); tier++) {
            End end = sendTier(tier);
            if (end != End.COMPLETED) {
                for (Customer customer : customers) {
                    if (!customer.stopped()) {
                        customer.interrupted = true;
                    }
                }
                return end;
            }
        }
        return End.COMPLETED;
    }

    /** The whole-call failure that ended the run early, or null. */
    String error() {
        return error;
    }

    /** What became of each customer. */
    List<Outbox.Outcome> outcomes() {
        List<Outbox.Outcome> outcomes = new ArrayList<>(customers.size());
        for (Customer c : customers) {
            Outbox.Status status = c.interrupted ? Outbox.Status.INTERRUPTED
                    : c.retry ? Outbox.Status.RETRY : Outbox.Status.DONE;
            String why = c.interrupted ? error : c.error;
            outcomes.add(new Outbox.Outcome(c.claim.customerId(), c.claim.changedMicros(), status, why, c.crmIds,
                    c.delivered, c.deadLetters));
        }
        return outcomes;
    }

    private End sendTier(int tier) {
        String object = objects.writeOrder().get(tier);
        boolean shared = objects.shared().contains(object);
        // one entry per external id: an Account several customers share is sent once
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Customer customer : customers) {
            if (customer.stopped()) {
                continue;
            }
            for (CrmRecord record : customer.tiers.get(tier)) {
                Entry entry = entries.computeIfAbsent(WrittenParents.key(record), k -> new Entry());
                entry.record = record;
                entry.owners.add(customer);
            }
        }
        List<Entry> toSend = new ArrayList<>();
        for (Entry entry : entries.values()) {
            String known = shared ? parents.unchanged(entry.record) : null;
            if (known == null) {
                toSend.add(entry);
            } else {
                entry.owners.forEach(owner -> owner.crmIds.put(object, known));
            }
        }
        for (int from = 0; from < toSend.size(); from += batchSize) {
            List<Entry> chunk = toSend.subList(from, Math.min(toSend.size(), from + batchSize));
            List<CrmRecord> records = new ArrayList<>(chunk.size());
            chunk.forEach(entry -> records.add(entry.record));
            List<CrmResult> results;
            try {
                results = adapter.upsert(records);
            } catch (CrmUnavailable e) {
                metrics.call(object, records.size(), "unavailable");
                error = e.getMessage();
                return End.UNAVAILABLE;
            }
            metrics.call(object, records.size(), "ok");
            for (int i = 0; i < chunk.size(); i++) {
                apply(object, shared, chunk.get(i), results.get(i));
            }
            boolean more = from + batchSize < toSend.size() || tier + 1 < objects.writeOrder().size();
            if (more && maxApiUsage > 0 && adapter.apiUsage() >= maxApiUsage) {
                error = String.format(java.util.Locale.ROOT, "API usage %.0f%% of the daily allocation reached the maximum %.0f%%",
                        adapter.apiUsage() * 100, maxApiUsage * 100);
                return End.OVER_LIMIT;
            }
        }
        return End.COMPLETED;
    }

    private void apply(String object, boolean shared, Entry entry, CrmResult result) {
        boolean activity = object.equals(objects.activity());
        if (result instanceof CrmResult.Written written) {
            metrics.records(object, "written", 1);
            if (shared) {
                parents.written(entry.record, written.crmId());
            }
            for (Customer owner : entry.owners) {
                if (activity) {
                    owner.delivered.add(Long.parseLong(entry.record.externalId()));
                } else {
                    owner.crmIds.put(object, written.crmId());
                }
            }
            return;
        }
        CrmResult.Refused refused = (CrmResult.Refused) result;
        if (refused.isTransient()) {
            metrics.records(object, "retried", 1);
            for (Customer owner : entry.owners) {
                owner.retry = true;
                owner.error = object + " " + entry.record.externalId() + ": " + refused.code();
            }
            return;
        }
        metrics.records(object, "refused", 1);
        for (Customer owner : entry.owners) {
            owner.deadLetters.add(new Outbox.DeadLetter(object, entry.record.externalId(), refused.code(),
                    refused.message(), payload(entry.record)));
            if (!activity) {
                owner.blocked = true;
            }
            // a parent the CRM no longer has must be written again when the refused record is replayed
            for (List<CrmRecord> records : owner.tiers) {
                records.stream().filter(r -> objects.shared().contains(r.object())).forEach(parents::forget);
            }
        }
    }

    private static String payload(CrmRecord record) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("object", record.object());
        payload.put("externalIdField", record.externalIdField());
        payload.put("externalId", record.externalId());
        payload.put("fields", record.fields());
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("record cannot be written as JSON", e);
        }
    }

    private static final class Entry {
        CrmRecord record;
        final Set<Customer> owners = new HashSet<>();
    }

    private static final class Customer {
        final Outbox.Claim claim;
        final List<List<CrmRecord>> tiers = new ArrayList<>();
        final Map<String, String> crmIds = new LinkedHashMap<>();
        final List<Long> delivered = new ArrayList<>();
        final List<Outbox.DeadLetter> deadLetters = new ArrayList<>();
        boolean blocked;
        boolean retry;
        boolean interrupted;
        String error;

        Customer(Outbox.Claim claim, int tiers) {
            this.claim = claim;
            for (int i = 0; i < tiers; i++) {
                this.tiers.add(new ArrayList<>());
            }
        }

        /** A refusal earlier in this run means the customer's later records are not sent. */
        boolean stopped() {
            return blocked || retry;
        }
    }
}
