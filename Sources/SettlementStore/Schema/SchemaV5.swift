/// Money after the first payment: where each run's outputs are published, bank answers that
/// contradict each other, corrections of returned payments, and a ledger trigger that runs with
/// the owner's rights so that the application role cannot touch the account counters.
enum SchemaV5 {
    static let moneyAfterPayment = """
        -- A run remembers where its outputs go, and when they were published (renamed into
        -- place), so that any later command can finish what a killed run committed.
        ALTER TABLE runs DROP CONSTRAINT runs_stage_check;
        ALTER TABLE runs ADD CONSTRAINT runs_stage_check
            CHECK (stage IN ('ingest', 'review', 'disburse', 'reconcile', 'resolve'));
        ALTER TABLE runs ADD COLUMN output_dir text;
        ALTER TABLE runs ADD COLUMN published_at timestamptz;
        UPDATE runs SET published_at = ended_at WHERE outcome = 'committed';

        -- New corrections:
        --   release       may also correct a return: a rerun found the returned money is no longer owed
        --   repayment     may also correct a reservation: a rerun reserved again what a return had made owed
        --   reinstatement corrects a return, -reserved +paid: the bank's return was wrong and the
        --                 payment did arrive (settled by `settle resolve --paid`)
        ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
        ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_check;
        ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
            CHECK (kind IN ('reservation', 'release', 'payment', 'return', 'repayment', 'supplement',
                            'overpayment', 'reinstatement'));
        ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_check
            CHECK ((kind IN ('release', 'payment', 'supplement', 'return', 'repayment', 'reinstatement'))
                   = (corrects IS NOT NULL));
        CREATE INDEX ledger_entries_by_account ON ledger_entries (account_id);
        CREATE INDEX payment_lines_by_request ON payment_lines (request_id);

        -- SECURITY DEFINER: the application role may insert entries but not write the counters;
        -- the counters are written here, with the owner's rights, and nowhere else.
        CREATE OR REPLACE FUNCTION ledger_apply() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
            entry record;
            corrected record;
            account record;
            changed record;
            live integer;
        BEGIN
            FOR entry IN SELECT * FROM new_entries WHERE corrects IS NOT NULL LOOP
                SELECT kind, amount, account_id, request_id INTO corrected FROM ledger_entries WHERE id = entry.corrects;
                IF NOT ((entry.kind IN ('payment', 'supplement') AND corrected.kind = 'reservation')
                        OR (entry.kind = 'release' AND corrected.kind IN ('reservation', 'return'))
                        OR (entry.kind = 'return' AND corrected.kind IN ('payment', 'repayment', 'supplement'))
                        OR (entry.kind = 'repayment' AND corrected.kind IN ('return', 'reservation'))
                        OR (entry.kind = 'reinstatement' AND corrected.kind = 'return'))
                   OR entry.amount <> corrected.amount OR entry.account_id <> corrected.account_id
                   OR entry.request_id <> corrected.request_id THEN
                    RAISE EXCEPTION 'ledger entry % (%) cannot correct entry % (%): kind, account, request and amount must match',
                        entry.id, entry.kind, entry.corrects, corrected.kind
                        USING ERRCODE = 'check_violation';
                END IF;
            END LOOP;

            FOR changed IN
                SELECT account_id,
                       sum(CASE kind WHEN 'reservation' THEN amount WHEN 'return' THEN amount
                                     WHEN 'release' THEN -amount WHEN 'payment' THEN -amount
                                     WHEN 'supplement' THEN -amount WHEN 'repayment' THEN -amount
                                     WHEN 'reinstatement' THEN -amount
                                     ELSE 0 END) AS reserved,
                       sum(CASE kind WHEN 'payment' THEN amount WHEN 'repayment' THEN amount
                                     WHEN 'supplement' THEN amount WHEN 'reinstatement' THEN amount
                                     WHEN 'return' THEN -amount
                                     ELSE 0 END) AS paid,
                       bool_or(kind = 'reservation') AS grows
                  FROM new_entries GROUP BY account_id
            LOOP
                UPDATE voucher_accounts
                   SET reserved_fen = reserved_fen + changed.reserved, paid_fen = paid_fen + changed.paid
                 WHERE id = changed.account_id
                RETURNING uscc, year, limit_fen, reserved_fen, paid_fen INTO account;
                IF changed.grows AND account.reserved_fen + account.paid_fen > greatest(account.limit_fen, 0) THEN
                    RAISE EXCEPTION 'voucher account %/% would be overspent: reserved % + paid % > limit %',
                        account.uscc, account.year, account.reserved_fen, account.paid_fen, account.limit_fen
                        USING ERRCODE = 'check_violation';
                END IF;
            END LOOP;

            FOR entry IN SELECT DISTINCT request_id FROM new_entries WHERE kind = 'reservation' LOOP
                SELECT count(*) INTO live FROM ledger_entries r
                 WHERE r.request_id = entry.request_id AND r.kind = 'reservation'
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id);
                IF live > 1 THEN
                    RAISE EXCEPTION 'request % would hold % live reservations; it may hold one', entry.request_id, live
                        USING ERRCODE = 'check_violation';
                END IF;
            END LOOP;
            RETURN NULL;
        END $$;

        -- Bank results keep the line they came from.
        ALTER TABLE bank_results ADD COLUMN line integer;

        -- A payment the bank answered twice, differently: nothing repays it until it is settled,
        -- by hand (`settle resolve`), with who settled it and why.
        CREATE TABLE payment_disputes (
            end_to_end_id   text PRIMARY KEY REFERENCES payment_lines (end_to_end_id),
            opened_at       timestamptz NOT NULL DEFAULT now(),
            file_sha256     text NOT NULL,
            file_name       text NOT NULL,
            line            integer NOT NULL,
            recorded_status text NOT NULL CHECK (recorded_status IN ('paid', 'returned')),
            claimed_status  text NOT NULL CHECK (claimed_status IN ('paid', 'returned')),
            resolved_run    bigint REFERENCES runs,
            resolution      text CHECK (resolution IN ('paid', 'returned')),
            resolved_by     text,
            reason          text,
            CHECK ((resolved_run IS NULL) = (resolution IS NULL)),
            CHECK (resolution IS NULL OR (resolved_by IS NOT NULL AND reason IS NOT NULL))
        );
        """
}
