<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Packing Station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label printer cannot be used: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BenchWindow</name>
    <message>
        <source>Packing Station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This version cannot print a command sheet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write {path}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last parcel: order {order_no}, {carrier} {tracking_no}, {grams} g</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carrier: {carrier}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waybill: {tracking_no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>silent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preview: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan an order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printer: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Station: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packer: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print command sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something unexpected went wrong. The bench keeps running, but tell the technician: the details are in the log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <source>Demo scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulated scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place parcel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place wrong weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wobble</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LabelPreview</name>
    <message>
        <source>The label appears here after printing.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderPanel</name>
    <message>
        <source>SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buyer&apos;s note: {note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{quantity} (supervisor)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Barcode damaged, item checked by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift or part without a barcode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of stock, buyer agreed to ship less</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same item, different barcode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Different carton or filling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product weight on file is wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items checked by hand, all correct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra padding for fragile goods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor: confirm the unscanned item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor: accept this weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor PIN, then Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press a number, or type a reason and press Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc cancels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1. PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2. Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhaseStrip</name>
    <message>
        <source>1 Scan order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2 Check items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3 Weigh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4 Waybill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5 Label</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeightPanel</name>
    <message>
        <source>Expected {expected} g (allowed {low}-{high} g)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>moving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale: connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale: no reading yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale: no data (is it on?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale: unreadable data (check protocol and baud)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale: disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overload: too heavy for the scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Underload: zero the scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Scan an order to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no}: scan each item.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown order {code}. Check the pick list or import the order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no} was already shipped on {when} by {packer} at {station}, {carrier} {tracking_no}. It must not be shipped twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no} is on hold: {reason}. Do not pack it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no} was cancelled: {reason}. Do not pack it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no} was refunded: {reason}. Do not pack it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish order {order_no} first, or scan CANCEL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is a product. Scan the order first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} looks like a waybill number. Scan the order first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: {scanned} of {quantity}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is not in this order. Put it back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown item code {code}. It is not in this order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many {name}: the order needs only {quantity}. Take one out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All items checked. Put the parcel on the scale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All items are already checked. Put the parcel on the scale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the parcel on the scale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight {grams} g is within {low}-{high} g.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight {grams} g recorded; no expected weight is known for these items.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight {grams} g is outside {low}-{high} g (expected {expected} g). Check the items, then re-weigh or ask a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the parcel off the scale and put it back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale disconnected: no weight can be recorded until it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the pre-printed {carrier} waybill.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is not a valid {carrier} waybill number. Scan the waybill again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waybill {code} is already used by order {order_no}. Use another waybill.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No {carrier} waybill numbers left in the pool. Scan a pre-printed waybill.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no} shipped: {carrier} {tracking_no}, {grams} g.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label printed for {tracking_no}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label for {tracking_no} NOT printed: {reason} Scan REPRINT when fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label reprinted for {tracking_no} (reprint {count}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No label to reprint yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label for {tracking_no} was already reprinted. A supervisor can reprint it from Search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tracking_no} is in the bag ({scanned} of {expected}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All {expected} parcels are in the bag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tracking_no} is already in the bag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tracking_no} is no parcel of this station. Take it out of the bag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tracking_no} was voided and must not leave. Take it out of the bag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tracking_no} is a {carrier} parcel. Take it out of the bag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tracking_no} is not expected in this handover (already handed over or too old). Take it out of the bag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no} put aside. Scan the next order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No order is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_no} put on hold. Put the goods aside.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A supervisor must confirm: scan OVERRIDE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong PIN or not a supervisor. Nothing was overridden.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line {sku} confirmed by {supervisor}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight {grams} g accepted by {supervisor}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to override now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown command {code}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{command} cannot be used now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty scan ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fragile: 5-layer carton, wrap each piece in bubble film, fill every gap.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Food: vacuum-packed, keep away from liquids and chemicals.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fresh / frozen: insulated box with ice packs, cold-chain service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clothing: waterproof bag, tag visible, fold neatly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Electronics: anti-static bag, padding on all sides.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cosmetics: seal liquids in a bag, upright, padding.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
