/**
 * Companies: one per company domain (or per normalized name when no domain is known), the people who work there,
 * the parent/child hierarchy the data shows (with its evidence), and firmographics filled in the background from a
 * {@link org.touchpointhub.enrich.FirmographicProvider}. It promises that linking a person costs an event at most one
 * upsert and one update, that a slow or failing provider never touches an event, and that two companies are never
 * merged automatically, only linked.
 */
package org.touchpointhub.company;
