package org.touchpointhub.crm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.touchpointhub.crm.salesforce.TaskInput;

/**
 * Reads what changed for a customer since it was last delivered: the golden record (with the derived lifetime
 * revenue) and the touchpoints not yet written to the CRM. Preview and delivery read through this one place, so the
 * preview shows exactly what delivery would send.
 */
@Component
public class CustomerChanges {

    private static final TypeReference<Map<String, Map<String, Object>>> GOLDEN = new TypeReference<>() {};

    /**
     * One customer's pending change.
     *
     * @param customerId  the hub's customer id (the CRM external id)
     * @param golden      canonical attribute to value
     * @param touchpoints touchpoints not yet delivered, oldest first
     * @param crmIds      CRM object to the CRM's id, as written back by earlier deliveries
     */
    public record CustomerChange(long customerId, Map<String, Object> golden, List<TaskInput> touchpoints,
            Map<String, String> crmIds) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    CustomerChanges(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Customers waiting in the outbox, oldest change first, without claiming them. */
    public List<Long> pending(int limit) {
        return jdbc.queryForList("select customer_id from outbox order by changed_at limit ?", Long.class, limit);
    }

    /**
     * The changes of several customers at once, as {@link #loadAll} read them: customers it could read, and those whose
     * stored data it could not (each with its own error, e.g. {@code crm_ids} that is not a JSON object). Ids of
     * customers that do not exist are in neither.
     */
    public record Loaded(Map<Long, CustomerChange> changes, Map<Long, IllegalStateException> unreadable) {

        public Loaded {
            changes = java.util.Collections.unmodifiableMap(changes);
            unreadable = java.util.Collections.unmodifiableMap(unreadable);
        }
    }

    /**
     * Loads one customer's change.
     *
     * @throws EmptyResultDataAccessException when there is no such customer
     * @throws IllegalStateException          when its stored golden record or CRM ids cannot be read
     */
    public CustomerChange load(long customerId) {
        Loaded loaded = loadAll(List.of(customerId));
        IllegalStateException unreadable = loaded.unreadable().get(customerId);
        if (unreadable != null) {
            throw unreadable;
        }
        CustomerChange change = loaded.changes().get(customerId);
        if (change == null) {
            throw new EmptyResultDataAccessException("no customer " + customerId, 1);
        }
        return change;
    }

    /**
     * Loads the changes of these customers in three statements whatever their number (#7): their golden records, CRM
     * ids and firmographics; their lifetime revenue; their undelivered touchpoints. Each statement text is the same for
     * any number of ids (an array parameter), so the driver prepares it once. A customer whose stored data cannot be
     * read is reported in {@link Loaded#unreadable()} and does not keep the others from loading.
     */
    public Loaded loadAll(Collection<Long> customerIds) {
        Long[] ids = new LinkedHashSet<>(customerIds).toArray(new Long[0]);
        Map<Long, Map<String, Object>> rows = new LinkedHashMap<>();
        if (ids.length == 0) {
            return new Loaded(Map.of(), Map.of());
        }
        jdbc.query(con -> array(con, "select c.id, c.golden::text as golden, c.crm_ids::text as crm_ids, co.industry, "
                + "co.employees, co.country from customers c left join companies co on co.id = c.company_id "
                + "where c.id = any(?)", ids), rs -> {
                    Map<String, Object> row = new HashMap<>();
                    row.put("golden", rs.getString("golden"));
                    row.put("crm_ids", rs.getString("crm_ids"));
                    row.put("industry", rs.getString("industry"));
                    row.put("employees", rs.getString("employees"));
                    row.put("country", rs.getString("country"));
                    rows.put(rs.getLong("id"), row);
                });
        Map<Long, BigDecimal> revenue = new HashMap<>();
        jdbc.query(con -> array(con, "select customer_id, sum((attributes->>'amount')::numeric) from touchpoints "
                + "where customer_id = any(?) and type = 'payment_succeeded' "
                + "and attributes->>'amount' ~ '^-?[0-9]+(\\.[0-9]+)?$' group by customer_id", ids),
                rs -> {
                    revenue.put(rs.getLong(1), rs.getBigDecimal(2));
                });
        Map<Long, List<TaskInput>> touchpoints = new HashMap<>();
        jdbc.query(con -> array(con, "select customer_id, id, type, channel, occurred_at, summary, connector from touchpoints "
                + "where customer_id = any(?) and delivered_at is null order by customer_id, occurred_at, id", ids),
                rs -> {
                    touchpoints.computeIfAbsent(rs.getLong("customer_id"), k -> new ArrayList<>()).add(new TaskInput(
                            String.valueOf(rs.getLong("id")), rs.getString("type"), rs.getString("channel"),
                            rs.getTimestamp("occurred_at").toInstant(), rs.getString("summary"), rs.getString("connector")));
                });
        Map<Long, CustomerChange> changes = new LinkedHashMap<>();
        Map<Long, IllegalStateException> unreadable = new LinkedHashMap<>();
        for (Long id : ids) {
            Map<String, Object> row = rows.get(id);
            if (row == null) {
                continue;
            }
            try {
                changes.put(id, change(id, row, revenue.get(id), touchpoints.getOrDefault(id, List.of())));
            } catch (IllegalStateException e) {
                unreadable.put(id, e);
            } catch (RuntimeException e) {
                // e.g. a golden record attribute that is JSON null: this customer's data, not the others'
                unreadable.put(id, new IllegalStateException("the golden record of customer " + id + " cannot be read", e));
            }
        }
        return new Loaded(changes, unreadable);
    }

    private CustomerChange change(long customerId, Map<String, Object> row, BigDecimal revenue,
            List<TaskInput> touchpoints) {
        Map<String, Object> golden = new LinkedHashMap<>();
        read(customerId, row.get("golden")).forEach((k, v) -> golden.put(k, v.get("v")));
        // #6: the company's firmographics for the CRM account (not observations, so never part of the golden record)
        putIfPresent(golden, "company_industry", row.get("industry"));
        putIfPresent(golden, "company_employees", row.get("employees"));
        putIfPresent(golden, "company_country", row.get("country"));
        if (revenue != null && revenue.signum() != 0) {
            golden.put("lifetime_revenue", revenue.stripTrailingZeros().toPlainString());
        }
        Map<String, String> crmIds = new LinkedHashMap<>();
        try {
            json.readValue(String.valueOf(row.get("crm_ids")), Map.class).forEach((k, v) -> crmIds.put(String.valueOf(k), String.valueOf(v)));
        } catch (Exception e) {
            throw new IllegalStateException("crm_ids of customer " + customerId + " is not a JSON object of CRM ids", e);
        }
        return new CustomerChange(customerId, golden, touchpoints, crmIds);
    }

    private static PreparedStatement array(Connection con, String sql, Long[] ids) throws SQLException {
        PreparedStatement ps = con.prepareStatement(sql);
        ps.setArray(1, con.createArrayOf("bigint", ids));
        return ps;
    }

    private static void putIfPresent(Map<String, Object> golden, String key, Object value) {
        if (value != null) {
            golden.put(key, value);
        }
    }

    private Map<String, Map<String, Object>> read(long customerId, Object text) {
        try {
            return text == null ? Map.of() : json.readValue(text.toString(), GOLDEN);
        } catch (Exception e) {
            throw new IllegalStateException("the golden record of customer " + customerId + " is not a JSON object of attribute objects", e);
        }
    }
}
