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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.touchpointhub.crm.CustomerChanges.CustomerChange;

/**
 * One delivery run over a set of claimed customers: each customer's pending change folded into one set of records,
 * cut per object into batches of up to the batch size, parents first, and packed into as few calls as the adapter
 * takes (Salesforce: one Composite call carries up to five batches, so a run of Accounts, Contacts and Tasks is one API
 * call instead of three, #7); every per-record result read.
 *
 * <p>Dependants sent in the same call as a parent the CRM refused are answered for, but their results are not used
 * (they would only fail on the missing reference and bury the real error under copies). Dependants of a record
 * refused in an earlier call are not sent: a Contact whose Account was refused, or the Tasks of a
 * refused Contact, would only fail on the missing reference and bury the real error under copies. They stay
 * undelivered (touchpoints keep {@code delivered_at} null) and go out with the customer's next delivery, which a replay
 * of the dead letter starts.
 */
final class DeliveryRun {

    /**
     * How the run ended: OVER_LIMIT after the run's last call means everything was sent and delivery rests before the
     * next run.
     */
    enum End { COMPLETED, UNAVAILABLE, OVER_LIMIT }

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRun.class);
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

    /**
     * Loads the claimed customers' changes (all in one {@link CustomerChanges#loadAll}, #7) and maps them to records;
     * merged-away or vanished ones get no records. A customer whose stored data cannot be read gets none either and
     * is left to its lease, without failing the run for the others.
     */
    void load(List<Outbox.Claim> claims, Set<Long> mergedAway, CustomerChanges changes,
            Function<CustomerChange, List<CrmRecord>> mapping) {
        List<Long> toLoad = new ArrayList<>(claims.size());
        for (Outbox.Claim claim : claims) {
            if (!mergedAway.contains(claim.customerId())) {
                toLoad.add(claim.customerId());
            }
        }
        CustomerChanges.Loaded loaded = changes.loadAll(toLoad);
        for (Outbox.Claim claim : claims) {
            Customer customer = new Customer(claim, objects.writeOrder().size());
            customers.add(customer);
            if (mergedAway.contains(claim.customerId())) {
                continue;
            }
            IllegalStateException unreadable = loaded.unreadable().get(claim.customerId());
            if (unreadable != null) {
                // before #7 this failed the whole run (every claimed customer waited for its lease); the message names
                // the customer id only, never the stored values
                LOG.error("CRM delivery cannot read customer {}: {}; it is tried again when its lease ends",
                        claim.customerId(), unreadable.getMessage());
                customer.unreadable = true;
                continue;
            }
            CustomerChange change = loaded.changes().get(claim.customerId());
            if (change == null) {
                continue;
            }
            for (CrmRecord record : mapping.apply(change)) {
                customer.tiers.get(objects.tier(record.object())).add(record);
            }
        }
    }

    /**
     * Sends everything loaded, all tiers packed into as few calls as the adapter allows (Salesforce: one Composite
     * call of up to five batches, Accounts before people before Tasks); stops at the first call the CRM could not
     * take or when the API allocation runs short.
     */
    End send() {
        List<Batch> batches = plan();
        int next = 0;
        while (next < batches.size()) {
            // read per call: an adapter that found the combined call unsupported answers 1 from then on
            int perCall = Math.max(1, adapter.maxBatchesPerCall());
            List<Batch> call = new ArrayList<>(perCall);
            while (next < batches.size() && call.size() < perCall) {
                // dependants of a record refused in an earlier call of this run are not sent
                Batch live = batches.get(next++).live();
                if (!live.entries.isEmpty()) {
                    call.add(live);
                }
            }
            if (call.isEmpty()) {
                break;
            }
            End end = sendCall(call);
            if (end == End.OVER_LIMIT && next >= batches.size()) {
                // the last call went through: everyone is done, and the loop rests before the next run (with one call
                // per run, checking only between calls would never rest)
                return end;
            }
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
            Outbox.Status status = c.unreadable ? Outbox.Status.LEASED : c.interrupted ? Outbox.Status.INTERRUPTED
                    : c.retry ? Outbox.Status.RETRY : Outbox.Status.DONE;
            String why = c.interrupted ? error : c.error;
            outcomes.add(new Outbox.Outcome(c.claim.customerId(), c.claim.changedMicros(), status, why, c.crmIds,
                    c.delivered, c.deadLetters));
        }
        return outcomes;
    }

    /** Every tier's records, one entry per external id, unchanged shared parents left out, cut into batches. */
    private List<Batch> plan() {
        List<Batch> batches = new ArrayList<>();
        for (int tier = 0; tier < objects.writeOrder().size(); tier++) {
            String object = objects.writeOrder().get(tier);
            boolean shared = objects.shared().contains(object);
            // one entry per external id: an Account several customers share is sent once
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Customer customer : customers) {
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
                batches.add(new Batch(tier, object, shared,
                        new ArrayList<>(toSend.subList(from, Math.min(toSend.size(), from + batchSize)))));
            }
        }
        return batches;
    }

    private End sendCall(List<Batch> call) {
        List<List<CrmRecord>> records = new ArrayList<>(call.size());
        for (Batch batch : call) {
            List<CrmRecord> batchRecords = new ArrayList<>(batch.entries.size());
            batch.entries.forEach(entry -> batchRecords.add(entry.record));
            records.add(batchRecords);
        }
        List<List<CrmResult>> results;
        try {
            results = adapter.upsertAll(records);
        } catch (CrmUnavailable e) {
            metrics.call("unavailable");
            error = e.getMessage();
            return End.UNAVAILABLE;
        }
        metrics.call("ok");
        for (int b = 0; b < call.size(); b++) {
            Batch batch = call.get(b);
            metrics.batch(batch.object, batch.entries.size());
            for (int i = 0; i < batch.entries.size(); i++) {
                apply(batch, batch.entries.get(i), results.get(b).get(i));
            }
        }
        if (maxApiUsage > 0 && adapter.apiUsage() >= maxApiUsage) {
            error = String.format(java.util.Locale.ROOT, "API usage %.0f%% of the daily allocation reached the maximum %.0f%%",
                    adapter.apiUsage() * 100, maxApiUsage * 100);
            return End.OVER_LIMIT;
        }
        return End.COMPLETED;
    }

    private void apply(Batch batch, Entry entry, CrmResult result) {
        String object = batch.object;
        boolean activity = object.equals(objects.activity());
        List<Customer> owners = new ArrayList<>();
        for (Customer owner : entry.owners) {
            if (!owner.stoppedBefore(batch.tier)) {
                owners.add(owner);
            }
        }
        if (owners.isEmpty()) {
            // sent in the same call as its parent, which was refused: whatever the CRM answered for it (most likely a
            // missing reference) is not this record's own error; it stays undelivered and goes out with the
            // customer's next delivery, and the parent's refusal is the one dead letter
            metrics.records(object, "held", 1);
            return;
        }
        if (result instanceof CrmResult.Written written) {
            metrics.records(object, "written", 1);
            if (batch.shared) {
                parents.written(entry.record, written.crmId());
            }
            for (Customer owner : owners) {
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
            for (Customer owner : owners) {
                owner.stop(batch.tier);
                owner.retry = true;
                owner.error = object + " " + entry.record.externalId() + ": " + refused.code();
            }
            return;
        }
        metrics.records(object, "refused", 1);
        for (Customer owner : owners) {
            owner.deadLetters.add(new Outbox.DeadLetter(object, entry.record.externalId(), refused.code(),
                    refused.message(), payload(entry.record)));
            if (!activity) {
                owner.stop(batch.tier);
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

    /** Records of one object sent together (one sObject Collections upsert, alone or inside a composite call). */
    private static final class Batch {
        final int tier;
        final String object;
        final boolean shared;
        final List<Entry> entries;

        Batch(int tier, String object, boolean shared, List<Entry> entries) {
            this.tier = tier;
            this.object = object;
            this.shared = shared;
            this.entries = entries;
        }

        /** This batch without the entries whose every owner was stopped by a refusal earlier in the run. */
        Batch live() {
            List<Entry> live = new ArrayList<>(entries.size());
            for (Entry entry : entries) {
                if (entry.owners.stream().anyMatch(owner -> !owner.stoppedBefore(tier))) {
                    live.add(entry);
                }
            }
            return live.size() == entries.size() ? this : new Batch(tier, object, shared, live);
        }
    }

    private static final class Customer {
        final Outbox.Claim claim;
        final List<List<CrmRecord>> tiers = new ArrayList<>();
        final Map<String, String> crmIds = new LinkedHashMap<>();
        final List<Long> delivered = new ArrayList<>();
        final List<Outbox.DeadLetter> deadLetters = new ArrayList<>();
        boolean blocked;
        boolean retry;
        /** Its stored data could not be read: nothing sent, its outbox row left to the lease. */
        boolean unreadable;
        boolean interrupted;
        String error;
        /** The tier of the first refusal that stopped this customer, or MAX_VALUE. */
        int stoppedAt = Integer.MAX_VALUE;

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

        void stop(int tier) {
            stoppedAt = Math.min(stoppedAt, tier);
        }

        /**
         * Whether a refusal in an earlier tier stopped this customer: its records of this tier are not sent, or, sent
         * in the same call, their results are not used. Records of the refused record's own tier still count (a
         * customer's other Tasks when one Task is locked), as they did when tiers were sent one call each.
         */
        boolean stoppedBefore(int tier) {
            return stoppedAt < tier;
        }
    }
}
