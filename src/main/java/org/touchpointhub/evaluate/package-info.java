/**
 * The {@code evaluate} command: feeds a CSV of people, row by row, through the live pipeline's identity resolution
 * against a fresh store and measures the clusters against a truth column. It owns no data; it promises that what it
 * measures is exactly what live events get (same normalization, blocking, matcher, merges and survivorship).
 */
package org.touchpointhub.evaluate;
