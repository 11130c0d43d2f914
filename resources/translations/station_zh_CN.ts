<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Packing Station</source>
        <translation>打包工作台</translation>
    </message>
    <message>
        <source>The label printer cannot be used: {error}</source>
        <translation>面单打印机无法使用：{error}</translation>
    </message>
    <message>
        <source>{error}

Nothing was written to it. Restore the latest backup with:
station db restore {backup}</source>
        <translation>{error}

数据库未被写入任何内容。请用以下命令恢复最近的备份：
station db restore {backup}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>BenchWindow</name>
    <message>
        <source>Packing Station</source>
        <translation>打包工作台</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <source>Last parcel: order {order_no}, {carrier} {tracking_no}, {grams} g</source>
        <translation>上一单：订单 {order_no}，{carrier} {tracking_no}，{grams} 克</translation>
    </message>
    <message>
        <source>Carrier: {carrier}</source>
        <translation>快递：{carrier}</translation>
    </message>
    <message>
        <source>Waybill: {tracking_no}</source>
        <translation>快递单号：{tracking_no}</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>bad data</source>
        <translation>数据异常</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Scale: {state}</source>
        <translation>电子秤：{state}</translation>
    </message>
    <message>
        <source>No preview: {error}</source>
        <translation>无法预览：{error}</translation>
    </message>
    <message>
        <source>Scan an order</source>
        <translation>请扫描订单</translation>
    </message>
    <message>
        <source>Printer: {url}</source>
        <translation>打印机：{url}</translation>
    </message>
    <message>
        <source>Station: {name}</source>
        <translation>工位：{name}</translation>
    </message>
    <message>
        <source>Packer: {name}</source>
        <translation>打包员：{name}</translation>
    </message>
    <message>
        <source>&amp;Bench</source>
        <translation>工作台(&amp;B)</translation>
    </message>
    <message>
        <source>Print command sheet</source>
        <translation>打印指令条码表</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>Categories</name>
    <message>
        <source>fragile</source>
        <translation>易碎品</translation>
    </message>
    <message>
        <source>food</source>
        <translation>食品</translation>
    </message>
    <message>
        <source>fresh</source>
        <translation>生鲜</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>冷冻</translation>
    </message>
    <message>
        <source>clothing</source>
        <translation>服装</translation>
    </message>
    <message>
        <source>electronics</source>
        <translation>电子产品</translation>
    </message>
    <message>
        <source>cosmetics</source>
        <translation>化妆品</translation>
    </message>
    <message>
        <source>stationery</source>
        <translation>文具</translation>
    </message>
    <message>
        <source>toys</source>
        <translation>玩具</translation>
    </message>
    <message>
        <source>automatic (recognised from the columns)</source>
        <translation>自动（按列名识别）</translation>
    </message>
    <message>
        <source>WeChat Shop export</source>
        <translation>微信小店导出</translation>
    </message>
    <message>
        <source>other CSV or Excel file</source>
        <translation>其他 CSV 或 Excel 文件</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. The bench keeps running, but send the details below to the technician (they are also saved in the logs folder).</source>
        <translation>发生了意外错误。工作台仍可继续使用，但请把下面的详细信息发给技术人员（也已保存在 logs 文件夹中）。</translation>
    </message>
</context>
<context>
    <name>DashboardTabs</name>
    <message>
        <source>This &amp;bench</source>
        <translation>本工作台(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Warehouse</source>
        <translation>仓库(&amp;W)</translation>
    </message>
</context>
<context>
    <name>DashboardWidget</name>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Dates…</source>
        <translation>选择日期…</translation>
    </message>
    <message>
        <source>Parcels</source>
        <translation>包裹数</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Weight kg</source>
        <translation>重量（千克）</translation>
    </message>
    <message>
        <source>Order value ¥</source>
        <translation>订单金额 ￥</translation>
    </message>
    <message>
        <source>Shipping cost ¥</source>
        <translation>运费 ¥</translation>
    </message>
    <message>
        <source>Cost / value</source>
        <translation>运费占比</translation>
    </message>
    <message>
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Per &amp;station</source>
        <translation>按工位(&amp;S)</translation>
    </message>
    <message>
        <source>Per &amp;packer</source>
        <translation>按打包员(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Carriers</source>
        <translation>按快递(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation>时间段(&amp;P)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Per hour</source>
        <translation>每小时</translation>
    </message>
    <message>
        <source>Cycle p50</source>
        <translation>单件用时 p50</translation>
    </message>
    <message>
        <source>Cycle p95</source>
        <translation>单件用时 p95</translation>
    </message>
    <message>
        <source>Wrong items</source>
        <translation>错件</translation>
    </message>
    <message>
        <source>Weight mismatches</source>
        <translation>重量不符</translation>
    </message>
    <message>
        <source>Overrides</source>
        <translation>主管放行</translation>
    </message>
    <message>
        <source>Reprints</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Voids</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>{parcels} parcels, {per_hour:.1f} per hour; cycle p50 {p50}, p95 {p95}; wrong items {wrong}, weight mismatches {weight}, overrides {overrides}, reprints {reprints}, voids {voids}</source>
        <translation>{parcels} 个包裹，每小时 {per_hour:.1f} 个；单件用时 p50 {p50}，p95 {p95}；错件 {wrong}，重量不符 {weight}，主管放行 {overrides}，补打 {reprints}，作废 {voids}</translation>
    </message>
    <message>
        <source>Upload queue: {queued} waiting, {attention} need attention, {done} done</source>
        <translation>上传队列：{queued} 条等待，{attention} 条需处理，{done} 条已完成</translation>
    </message>
    <message>
        <source>Flagged, unconfirmed for 24 h</source>
        <translation>有待确认的警告，超过 24 小时未确认</translation>
    </message>
    <message>
        <source>Shipping cost over {limit}%</source>
        <translation>运费超过 {limit}%</translation>
    </message>
    <message>
        <source>{carrier} {tracking_no}: {cost} yuan is {share} of {value} yuan</source>
        <translation>{carrier} {tracking_no}：运费 {cost} 元，占订单金额 {value} 元的 {share}</translation>
    </message>
    <message>
        <source>E-waybill cancel refused</source>
        <translation>电子面单取消被拒</translation>
    </message>
    <message>
        <source>{waybill_no} ({provider}): {reason}. Settle it with the carrier, then station waybill cancel {waybill_no} to try again.</source>
        <translation>{waybill_no}（{provider}）：{reason}。请与快递公司处理后，用 station waybill cancel {waybill_no} 重试。</translation>
    </message>
    <message>
        <source>E-waybill balance low</source>
        <translation>电子面单余额不足</translation>
    </message>
    <message>
        <source>{provider} {carrier} account {account}: {available} numbers left</source>
        <translation>{provider} {carrier} 账号 {account}：剩余 {available} 单</translation>
    </message>
    <message>
        <source>&amp;Exceptions ({count})</source>
        <translation>异常(&amp;E)（{count}）</translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <source>Demo scale</source>
        <translation>演示电子秤</translation>
    </message>
    <message>
        <source>Simulated scale</source>
        <translation>模拟电子秤</translation>
    </message>
    <message>
        <source>Place parcel</source>
        <translation>放上包裹</translation>
    </message>
    <message>
        <source>Place wrong weight</source>
        <translation>放上错误重量</translation>
    </message>
    <message>
        <source>Take off</source>
        <translation>拿下包裹</translation>
    </message>
    <message>
        <source>Wobble</source>
        <translation>晃动</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Courier handover</source>
        <translation>快递交接</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Finish handover</source>
        <translation>完成交接(&amp;F)</translation>
    </message>
    <message>
        <source>Save &amp;manifest…</source>
        <translation>保存交接清单(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Carrier</source>
        <translation>快递公司(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;ourier</source>
        <translation>快递员(&amp;O)</translation>
    </message>
    <message>
        <source>Sc&amp;an parcel</source>
        <translation>扫描包裹(&amp;A)</translation>
    </message>
    <message>
        <source>Still missing</source>
        <translation>尚未装袋</translation>
    </message>
    <message>
        <source>In the bag</source>
        <translation>已装袋</translation>
    </message>
    <message>
        <source>Unexpected: take out</source>
        <translation>不应出现：请取出</translation>
    </message>
    <message>
        <source>Scan each parcel as it goes into the bag: {count} expected.</source>
        <translation>每个包裹装袋时扫描一次：应有 {count} 个。</translation>
    </message>
    <message>
        <source>{scanned} of {expected} in the bag, {missing} missing, {strays} unexpected</source>
        <translation>已装袋 {scanned}/{expected}，缺 {missing} 个，多出 {strays} 个</translation>
    </message>
    <message>
        <source>Hub online: every scan is checked for the warehouse.</source>
        <translation>总仓已连接：每次扫描都按全仓记录核对。</translation>
    </message>
    <message>
        <source>Hub offline: scans are checked against this bench&apos;s records only. The hub is told when the handover is finished, if it is back.</source>
        <translation>总仓离线：扫描只按本打包台的记录核对。总仓恢复后，交接完成时再告知总仓。</translation>
    </message>
    <message>
        <source>not a parcel of this station</source>
        <translation>不是本工位的包裹</translation>
    </message>
    <message>
        <source>voided: must not leave</source>
        <translation>已作废：不得发出</translation>
    </message>
    <message>
        <source>another carrier&apos;s parcel</source>
        <translation>其他快递公司的包裹</translation>
    </message>
    <message>
        <source>already handed over or too old</source>
        <translation>已交接过或时间太久</translation>
    </message>
    <message>
        <source>not recorded at the hub</source>
        <translation>总仓无此包裹记录</translation>
    </message>
    <message>
        <source>its order has two parcels: tell the supervisor</source>
        <translation>该订单有两个包裹：请告知主管</translation>
    </message>
    <message>
        <source>already handed over</source>
        <translation>已交接</translation>
    </message>
    <message>
        <source>Handover not complete</source>
        <translation>交接未完成</translation>
    </message>
    <message>
        <source>{missing} parcels are missing and {strays} are unexpected. Finish the handover anyway?</source>
        <translation>缺少 {missing} 个包裹，多出 {strays} 个。仍要完成交接吗？</translation>
    </message>
    <message>
        <source>Handover recorded: {count} parcels for the courier.</source>
        <translation>交接已记录：共 {count} 个包裹交给快递员。</translation>
    </message>
    <message>
        <source>Handover recorded, but the hub had these parcels handed over elsewhere meanwhile: {parcels}. Take them back from the courier and tell the supervisor.</source>
        <translation>交接已记录，但总仓显示这些包裹已在别处交接：{parcels}。请从快递员处取回并告知主管。</translation>
    </message>
    <message>
        <source>Save manifest</source>
        <translation>保存交接清单</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;CSV (*.csv)</source>
        <translation>PDF 文件 (*.pdf);;CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>HubLight</name>
    <message>
        <source>Hub: online</source>
        <translation>仓库中心：在线</translation>
    </message>
    <message>
        <source>Hub: offline since {time}; packing orders held here</source>
        <translation>仓库中心：自 {time} 起离线；仅打包本工位持有的订单</translation>
    </message>
    <message>
        <source>Hub: not reached yet</source>
        <translation>仓库中心：尚未连接</translation>
    </message>
</context>
<context>
    <name>ImportActions</name>
    <message>
        <source>new</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>已发货（不改）</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>不导入</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import orders or products</source>
        <translation>导入订单或商品</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>name to save this mapping as</source>
        <translation>保存此列映射的名称</translation>
    </message>
    <message>
        <source>Save mapping</source>
        <translation>保存映射</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Saved mapping</source>
        <translation>已保存的映射</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <source>Order / SKU</source>
        <translation>订单 / 商品编码</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列映射</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Choose a file.</source>
        <translation>请选择文件。</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>确认导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <source>Checking {rows} rows…</source>
        <translation>正在检查 {rows} 行…</translation>
    </message>
    <message>
        <source>Importing {count} orders…</source>
        <translation>正在导入 {count} 个订单…</translation>
    </message>
    <message>
        <source>This bench takes its products from the warehouse hub: a supervisor imports them there (station hub products import FILE), and every bench gets them. Nothing was imported.</source>
        <translation>本工位的商品来自仓库中心：请主管在中心导入（station hub products import FILE），所有工位都会收到。未导入任何内容。</translation>
    </message>
    <message>
        <source>Importing {count} products…</source>
        <translation>正在导入 {count} 个商品…</translation>
    </message>
    <message>
        <source>Closing when this step has finished…</source>
        <translation>当前步骤完成后关闭…</translation>
    </message>
    <message>
        <source>Cannot read the file: {reason}</source>
        <translation>无法读取文件：{reason}</translation>
    </message>
    <message>
        <source>The database refused the import: {reason}. Nothing was imported.</source>
        <translation>数据库拒绝了导入：{reason}。未导入任何数据。</translation>
    </message>
    <message>
        <source>Unexpected error: {reason}. Nothing was imported; the log has the details.</source>
        <translation>意外错误：{reason}。未导入任何数据；详情见日志。</translation>
    </message>
    <message>
        <source>{rows} rows, {encoding}. Check the columns, then Preview.</source>
        <translation>{rows} 行，编码 {encoding}。请核对列映射，然后预览。</translation>
    </message>
    <message>
        <source>Checking {count} orders…</source>
        <translation>正在检查 {count} 个订单…</translation>
    </message>
    <message>
        <source>Sent to the hub for every bench: {changed} orders new or changed there.</source>
        <translation>已送到仓库中心，所有工位可见：中心新增或变更 {changed} 个订单。</translation>
    </message>
    <message>
        <source>The hub could not be reached ({reason}): the orders are imported at this bench only. Import the file again when the hub is back, so every bench sees them.</source>
        <translation>无法连接仓库中心（{reason}）：订单只导入到本工位。中心恢复后请再次导入该文件，让所有工位都能看到。</translation>
    </message>
    <message>
        <source>Columns missing: {reason}</source>
        <translation>缺少列：{reason}</translation>
    </message>
    <message>
        <source>Imported {new}, updated {updated}, shipped left alone {shipped}, rejected rows {rejected}, flagged {flagged}, alerts {alerts}.</source>
        <translation>新增 {new}，更新 {updated}，已发货未改动 {shipped}，拒绝 {rejected} 行，需确认 {flagged}，拦截提醒 {alerts}。</translation>
    </message>
    <message>
        <source>Imported {count} products, rejected rows {rejected}.</source>
        <translation>已导入 {count} 个商品，拒绝 {rejected} 行。</translation>
    </message>
    <message>
        <source>Give the mapping a name (no slashes).</source>
        <translation>请给映射起个名字（不能含斜杠）。</translation>
    </message>
    <message>
        <source>Mapping saved as {name}.</source>
        <translation>映射已保存为 {name}。</translation>
    </message>
    <message>
        <source>The disk is full: the import stopped. Free some space, then import the file again to finish it (orders already imported stay).</source>
        <translation>磁盘已满：导入已停止。请腾出空间后再次导入该文件以完成导入（已导入的订单会保留）。</translation>
    </message>
    <message>
        <source>The data folder cannot be written to: the import stopped. Check that the disk is not write-protected and this user may write to it.</source>
        <translation>数据文件夹无法写入：导入已停止。请检查磁盘是否写保护，以及当前用户是否有写入权限。</translation>
    </message>
    <message>
        <source>Another program kept the database busy: the import stopped. Import the file again in a moment to finish it (orders already imported stay).</source>
        <translation>数据库正被其他程序占用：导入已停止。请稍后再次导入该文件以完成导入（已导入的订单会保留）。</translation>
    </message>
    <message>
        <source>The disk reported an error: the import stopped. Check the disk, then import the file again to finish it.</source>
        <translation>磁盘报告错误：导入已停止。请检查磁盘，然后再次导入该文件以完成导入。</translation>
    </message>
    <message>
        <source>Import file</source>
        <translation>导入文件</translation>
    </message>
    <message>
        <source>Tables (*.csv *.xlsx *.txt)</source>
        <translation>表格 (*.csv *.xlsx *.txt)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>New {new}, update {updated}, shipped (left alone) {shipped}, rejected rows {rejected}, flagged {flagged}, alerts {alerts}. Commit to import.</source>
        <translation>新增 {new}，更新 {updated}，已发货（不改动）{shipped}，拒绝 {rejected} 行，需确认 {flagged}，拦截提醒 {alerts}。点“确认导入”写入。</translation>
    </message>
    <message>
        <source>{count} products, rejected rows {rejected}. Commit to import.</source>
        <translation>{count} 个商品，拒绝 {rejected} 行。点“确认导入”写入。</translation>
    </message>
    <message>
        <source>Problems ({count})</source>
        <translation>问题（{count}）</translation>
    </message>
</context>
<context>
    <name>LabelPreview</name>
    <message>
        <source>The label appears here after printing.</source>
        <translation>面单打印后在此显示。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Locked. {name}, enter your PIN to go on.</source>
        <translation>已锁定。{name}，请输入 PIN 继续。</translation>
    </message>
    <message>
        <source>Locked. Sign in to go on.</source>
        <translation>已锁定。请登录后继续。</translation>
    </message>
</context>
<context>
    <name>OrderPanel</name>
    <message>
        <source>SKU</source>
        <translation>商品编码</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>已扫描</translation>
    </message>
    <message>
        <source>Order {order_no}</source>
        <translation>订单 {order_no}</translation>
    </message>
    <message>
        <source>Check first: {flags}</source>
        <translation>请先核对：{flags}</translation>
    </message>
    <message>
        <source>Buyer&apos;s note: {note}</source>
        <translation>买家留言：{note}</translation>
    </message>
    <message>
        <source>{quantity} (supervisor)</source>
        <translation>{quantity}（主管确认）</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Barcode damaged, item checked by hand</source>
        <translation>条码损坏，已人工核对商品</translation>
    </message>
    <message>
        <source>Gift or part without a barcode</source>
        <translation>赠品或配件没有条码</translation>
    </message>
    <message>
        <source>Out of stock, buyer agreed to ship less</source>
        <translation>缺货，买家同意少发</translation>
    </message>
    <message>
        <source>Same item, different barcode</source>
        <translation>同款商品，条码不同</translation>
    </message>
    <message>
        <source>Different carton or filling</source>
        <translation>纸箱或填充物不同</translation>
    </message>
    <message>
        <source>Product weight on file is wrong</source>
        <translation>系统中的商品重量有误</translation>
    </message>
    <message>
        <source>Items checked by hand, all correct</source>
        <translation>已人工核对商品，全部正确</translation>
    </message>
    <message>
        <source>Extra padding for fragile goods</source>
        <translation>易碎品加了额外填充</translation>
    </message>
    <message>
        <source>Address checked with the buyer</source>
        <translation>已与买家核实地址</translation>
    </message>
    <message>
        <source>Regular customer, address known</source>
        <translation>老客户，地址已知</translation>
    </message>
    <message>
        <source>Carrier accepts this address</source>
        <translation>快递公司可以送达此地址</translation>
    </message>
    <message>
        <source>Checked with the floor: no other bench has it</source>
        <translation>已与现场确认：没有其他工位在打包此订单</translation>
    </message>
    <message>
        <source>Urgent order, the hub is down</source>
        <translation>加急订单，仓库中心无法连接</translation>
    </message>
    <message>
        <source>Supervisor: confirm the unscanned item</source>
        <translation>主管：确认未扫描的商品</translation>
    </message>
    <message>
        <source>Supervisor: accept this weight</source>
        <translation>主管：接受此重量</translation>
    </message>
    <message>
        <source>Supervisor: confirm the flagged address</source>
        <translation>主管：确认有警告的地址</translation>
    </message>
    <message>
        <source>Supervisor: pack this order while the hub is offline</source>
        <translation>主管：仓库中心离线时打包此订单</translation>
    </message>
    <message>
        <source>Supervisor PIN, then Enter</source>
        <translation>输入主管 PIN，按回车</translation>
    </message>
    <message>
        <source>Press a number, or type a reason and press Enter</source>
        <translation>按数字键选择原因，或输入原因后按回车</translation>
    </message>
    <message>
        <source>Esc cancels</source>
        <translation>按 Esc 取消</translation>
    </message>
    <message>
        <source>1. PIN</source>
        <translation>1. PIN 码</translation>
    </message>
    <message>
        <source>2. Reason</source>
        <translation>2. 原因</translation>
    </message>
</context>
<context>
    <name>PhaseStrip</name>
    <message>
        <source>1 Scan order</source>
        <translation>1 扫描订单</translation>
    </message>
    <message>
        <source>2 Check items</source>
        <translation>2 核对商品</translation>
    </message>
    <message>
        <source>3 Weigh</source>
        <translation>3 称重</translation>
    </message>
    <message>
        <source>4 Waybill</source>
        <translation>4 快递单号</translation>
    </message>
    <message>
        <source>5 Label</source>
        <translation>5 面单</translation>
    </message>
</context>
<context>
    <name>PinForm</name>
    <message>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>PIN 码(&amp;P)</translation>
    </message>
    <message>
        <source>Wrong name or PIN, or the user is disabled.</source>
        <translation>姓名或 PIN 错误，或该用户已停用。</translation>
    </message>
</context>
<context>
    <name>ProductWeightModel</name>
    <message>
        <source>SKU</source>
        <translation>商品编码</translation>
    </message>
    <message>
        <source>Barcodes</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类目</translation>
    </message>
    <message>
        <source>Catalogue weight</source>
        <translation>目录重量</translation>
    </message>
    <message>
        <source>Learned weight</source>
        <translation>学习重量</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message numerus="yes">
        <source>Learned from %n single-item parcel(s)</source>
        <translation>
            <numerusform>由 %n 个单品包裹学习得到</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProductsView</name>
    <message>
        <source>Products and weights</source>
        <translation>商品与重量</translation>
    </message>
    <message>
        <source>Filter by SKU, barcode, name or category</source>
        <translation>按商品编码、条码、名称或类目筛选</translation>
    </message>
    <message>
        <source>Learned weights come from parcels holding a single product (median of the recent ones). Red: the difference is beyond the weight tolerance. Ctrl+1…7 sorts by a column.</source>
        <translation>学习重量来自只装一种商品的包裹（取最近若干次的中位数）。红色：差异超出重量容差。Ctrl+1…7 按列排序。</translation>
    </message>
    <message>
        <source>Showing {shown} of {total} products</source>
        <translation>显示 {shown} / {total} 个商品</translation>
    </message>
</context>
<context>
    <name>ScaleSettingsDialog</name>
    <message>
        <source>Scale settings</source>
        <translation>电子秤设置</translation>
    </message>
    <message>
        <source>Choose or type the scale&apos;s port.</source>
        <translation>请选择或输入电子秤的端口。</translation>
    </message>
    <message>
        <source>overload</source>
        <translation>超载</translation>
    </message>
    <message>
        <source>underload</source>
        <translation>欠载</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>{grams} g</source>
        <translation>{grams} 克</translation>
    </message>
    <message>
        <source>stable</source>
        <translation>已稳定</translation>
    </message>
    <message>
        <source>in motion</source>
        <translation>晃动中</translation>
    </message>
    <message>
        <source>net</source>
        <translation>净重</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>bad data</source>
        <translation>数据错误</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Link: {state} — {detail}</source>
        <translation>连接：{state} — {detail}</translation>
    </message>
    <message>
        <source>The settings could not be written: {error}</source>
        <translation>无法写入设置：{error}</translation>
    </message>
    <message>
        <source>Saving needs an administrator: type an administrator&apos;s PIN.</source>
        <translation>保存需要管理员：请输入管理员 PIN。</translation>
    </message>
    <message>
        <source>That PIN is not an administrator&apos;s.</source>
        <translation>该 PIN 不是管理员的。</translation>
    </message>
    <message>
        <source>/dev/ttyUSB0, COM3 or a path</source>
        <translation>/dev/ttyUSB0、COM3 或路径</translation>
    </message>
    <message>
        <source>none (N)</source>
        <translation>无校验 (N)</translation>
    </message>
    <message>
        <source>even (E)</source>
        <translation>偶校验 (E)</translation>
    </message>
    <message>
        <source>odd (O)</source>
        <translation>奇校验 (O)</translation>
    </message>
    <message>
        <source>Raise &amp;DTR and RTS (some USB adapters need it)</source>
        <translation>拉高 &amp;DTR 和 RTS（部分 USB 转串口需要）</translation>
    </message>
    <message>
        <source>&amp;Port</source>
        <translation>端口(&amp;P)</translation>
    </message>
    <message>
        <source>P&amp;rotocol</source>
        <translation>协议(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Baud rate</source>
        <translation>波特率(&amp;B)</translation>
    </message>
    <message>
        <source>Par&amp;ity</source>
        <translation>校验(&amp;I)</translation>
    </message>
    <message>
        <source>Pa&amp;ttern (regex)</source>
        <translation>匹配模式（正则）(&amp;T)</translation>
    </message>
    <message>
        <source>Administrator PI&amp;N</source>
        <translation>管理员 PIN(&amp;N)</translation>
    </message>
    <message>
        <source>Live reading: put something on the scale</source>
        <translation>实时读数：请在秤上放一件物品</translation>
    </message>
    <message>
        <source>F5 lists the ports again. Enter saves, Esc cancels.</source>
        <translation>F5 重新列出端口。回车保存，Esc 取消。</translation>
    </message>
    <message>
        <source>zero</source>
        <translation>置零</translation>
    </message>
    <message>
        <source>tare</source>
        <translation>去皮</translation>
    </message>
    <message>
        <source>{summary}. Default {serial}; from the bench: {commands}.</source>
        <translation>{summary}。默认 {serial}；工作台可用：{commands}。</translation>
    </message>
    <message>
        <source>no zero or tare</source>
        <translation>不支持置零或去皮</translation>
    </message>
    <message>
        <source>{baud} (protocol default)</source>
        <translation>{baud}（协议默认）</translation>
    </message>
    <message>
        <source>No such port on this computer (yet).</source>
        <translation>本机（暂时）没有这个端口。</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <source>Find a shipment</source>
        <translation>查找包裹</translation>
    </message>
    <message>
        <source>Order no., waybill no., recipient name or last 4 phone digits</source>
        <translation>订单号、快递单号、收件人姓名或手机尾号 4 位</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Waybill</source>
        <translation>快递单号</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <source>Prints</source>
        <translation>打印次数</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reprint (F5)</source>
        <translation>补打 (F5)</translation>
    </message>
    <message>
        <source>Void (F8)</source>
        <translation>作废 (F8)</translation>
    </message>
    <message>
        <source>{count} shipments found.</source>
        <translation>找到 {count} 个包裹。</translation>
    </message>
    <message>
        <source>voided by {who}: {why}</source>
        <translation>已被 {who} 作废：{why}</translation>
    </message>
    <message>
        <source>Pick a shipment that is not voided.</source>
        <translation>请选择未作废的包裹。</translation>
    </message>
    <message>
        <source>Wrong PIN or not a supervisor. Nothing was printed.</source>
        <translation>PIN 错误或不是主管，未打印。</translation>
    </message>
    <message>
        <source>Label reprinted for {tracking_no} (printed {count} times).</source>
        <translation>已补打 {tracking_no} 的面单（共打印 {count} 次）。</translation>
    </message>
    <message>
        <source>Label for {tracking_no} NOT printed: {reason}</source>
        <translation>{tracking_no} 的面单未打印：{reason}</translation>
    </message>
    <message>
        <source>Wrong PIN or not a supervisor. Nothing was voided.</source>
        <translation>PIN 错误或不是主管，未作废。</translation>
    </message>
    <message>
        <source>{tracking_no} voided; its waybill number will not be used again.</source>
        <translation>{tracking_no} 已作废，此快递单号不会再使用。</translation>
    </message>
    <message>
        <source>Order {order_no} is open again: pack it anew.</source>
        <translation>订单 {order_no} 已重新打开：请重新打包。</translation>
    </message>
    <message>
        <source>Order {order_no} stays shipped: no new parcel.</source>
        <translation>订单 {order_no} 仍为已发货：不再打新包裹。</translation>
    </message>
    <message>
        <source>Reprint: supervisor</source>
        <translation>补打：主管确认</translation>
    </message>
    <message>
        <source>Void: supervisor</source>
        <translation>作废：主管确认</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Scan your badge or type your name, then your PIN.</source>
        <translation>扫描工牌或输入姓名，再输入 PIN。</translation>
    </message>
</context>
<context>
    <name>StationTools</name>
    <message>
        <source>Dashboard</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>There is no scale: choose one in Tools, Scale settings.</source>
        <translation>没有电子秤：请在“工具 → 电子秤设置”中选择。</translation>
    </message>
    <message>
        <source>The {protocol} protocol cannot zero the scale from here: press ZERO on the scale itself.</source>
        <translation>{protocol} 协议无法从这里置零：请按电子秤上的置零键。</translation>
    </message>
    <message>
        <source>Scale zeroed.</source>
        <translation>电子秤已置零。</translation>
    </message>
    <message>
        <source>The {protocol} protocol cannot tare the scale from here: press TARE on the scale itself.</source>
        <translation>{protocol} 协议无法从这里去皮：请按电子秤上的去皮键。</translation>
    </message>
    <message>
        <source>Scale tared: it now shows the net weight.</source>
        <translation>电子秤已去皮：现在显示净重。</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>锁屏</translation>
    </message>
    <message>
        <source>Find a shipment</source>
        <translation>查找运单</translation>
    </message>
    <message>
        <source>Courier handover</source>
        <translation>快递交接</translation>
    </message>
    <message>
        <source>Upload queue</source>
        <translation>上传队列</translation>
    </message>
    <message>
        <source>Import orders or products</source>
        <translation>导入订单或商品</translation>
    </message>
    <message>
        <source>Copy buyer notice</source>
        <translation>复制买家通知</translation>
    </message>
    <message>
        <source>Products and weights</source>
        <translation>商品与重量</translation>
    </message>
    <message>
        <source>Scale settings</source>
        <translation>电子秤设置</translation>
    </message>
    <message>
        <source>Zero the scale</source>
        <translation>电子秤置零</translation>
    </message>
    <message>
        <source>Tare the scale</source>
        <translation>电子秤去皮</translation>
    </message>
</context>
<context>
    <name>SupervisorPrompt</name>
    <message>
        <source>&amp;Re-pack the order (open it again)</source>
        <translation>重新打包此订单（重新打开）(&amp;R)</translation>
    </message>
    <message>
        <source>Supervisor &amp;PIN</source>
        <translation>主管 PIN(&amp;P)</translation>
    </message>
    <message>
        <source>Rea&amp;son</source>
        <translation>原因(&amp;S)</translation>
    </message>
</context>
<context>
    <name>SyncDialog</name>
    <message>
        <source>Uploads</source>
        <translation>上传</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>上传中</translation>
    </message>
    <message>
        <source>Need attention</source>
        <translation>需处理</translation>
    </message>
    <message>
        <source>Last success</source>
        <translation>最近成功</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Waybill</source>
        <translation>快递单号</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>主管 PIN</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需处理</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Wrong PIN or not a supervisor.</source>
        <translation>PIN 错误或不是主管。</translation>
    </message>
    <message>
        <source>Queued again.</source>
        <translation>已重新排队。</translation>
    </message>
    <message>
        <source>Nothing to retry.</source>
        <translation>没有可重试的记录。</translation>
    </message>
    <message>
        <source>Say why it is dismissed.</source>
        <translation>请说明忽略原因。</translation>
    </message>
    <message>
        <source>Dismissed.</source>
        <translation>已忽略。</translation>
    </message>
    <message>
        <source>Nothing to dismiss.</source>
        <translation>没有可忽略的记录。</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Uploads not set up: {path} names no upload target. Add one ([[targets]], see the README, &quot;Orders, carriers and uploads&quot;); until then every shipment waits in the local queue ({waiting} waiting).</source>
        <translation>上传未设置：{path} 中没有上传目标。请添加一个（[[targets]]，见 README“Orders, carriers and uploads”一节）；在此之前，每个发货记录都保存在本地队列中（{waiting} 条等待）。</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Upload settings wrong</source>
        <translation>上传设置有误</translation>
    </message>
    <message>
        <source>Upload: not set up</source>
        <translation>上传：未设置</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>{state} · {queued} queued · oldest {age} · last sent {last}</source>
        <translation>{state} · {queued} 条排队 · 最早 {age} · 最近发送 {last}</translation>
    </message>
    <message>
        <source>{n} need attention</source>
        <translation>{n} 条需处理</translation>
    </message>
</context>
<context>
    <name>WarehouseWidget</name>
    <message>
        <source>Bench</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最后联系</translation>
    </message>
    <message>
        <source>Packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>待上传</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>This hour</source>
        <translation>本小时</translation>
    </message>
    <message>
        <source>Cycle p50</source>
        <translation>单件用时 p50</translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>Parcels</source>
        <translation>包裹数</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Per p&amp;acker</source>
        <translation>按打包员(&amp;A)</translation>
    </message>
    <message>
        <source>Per ca&amp;rrier</source>
        <translation>按快递(&amp;R)</translation>
    </message>
    <message>
        <source>Per hour</source>
        <translation>每小时</translation>
    </message>
    <message>
        <source>Voids</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Weight kg</source>
        <translation>重量（千克）</translation>
    </message>
    <message>
        <source>The hub cannot be reached: {reason}. Showing the last figures.</source>
        <translation>无法连接仓库中心：{reason}。显示的是上次的数据。</translation>
    </message>
    <message>
        <source>Floor today: {parcels} parcels, {per_hour:.1f} per hour, {this_hour} this hour; {online} of {benches} benches online</source>
        <translation>今日全仓：{parcels} 件，每小时 {per_hour:.1f} 件，本小时 {this_hour} 件；{benches} 个工作台中 {online} 个在线</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>{n} s ago</source>
        <translation>{n} 秒前</translation>
    </message>
</context>
<context>
    <name>WeightPanel</name>
    <message>
        <source>Expected {expected} g (allowed {low}-{high} g)</source>
        <translation>预计 {expected} 克（允许 {low}-{high} 克）</translation>
    </message>
    <message>
        <source>stable</source>
        <translation>已稳定</translation>
    </message>
    <message>
        <source>moving…</source>
        <translation>不稳定…</translation>
    </message>
    <message>
        <source>Scale: connecting…</source>
        <translation>电子秤：连接中…</translation>
    </message>
    <message>
        <source>Scale: no reading yet</source>
        <translation>电子秤：尚无读数</translation>
    </message>
    <message>
        <source>Scale: no data (is it on?)</source>
        <translation>电子秤：无数据（是否已开机？）</translation>
    </message>
    <message>
        <source>Scale: unreadable data (check protocol and baud)</source>
        <translation>电子秤：数据无法识别（请检查协议和波特率）</translation>
    </message>
    <message>
        <source>Scale: disconnected</source>
        <translation>电子秤：已断开</translation>
    </message>
    <message>
        <source>No scale is set. Set one in Tools &gt; Scale settings (Ctrl+Shift+S).</source>
        <translation>未设置电子秤。请在“工具 &gt; 电子秤设置”（Ctrl+Shift+S）中设置。</translation>
    </message>
    <message>
        <source>Overload: too heavy for the scale</source>
        <translation>超载：超出电子秤量程</translation>
    </message>
    <message>
        <source>Underload: zero the scale</source>
        <translation>欠载：请将电子秤归零</translation>
    </message>
    <message>
        <source>Scale error</source>
        <translation>电子秤故障</translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <source>Order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>商品编码</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>商品名称</translation>
    </message>
    <message>
        <source>Unit price (yuan)</source>
        <translation>单价（元）</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Full address</source>
        <translation>完整地址</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Street and house number</source>
        <translation>详细地址（街道门牌）</translation>
    </message>
    <message>
        <source>House number</source>
        <translation>门牌号</translation>
    </message>
    <message>
        <source>Buyer note</source>
        <translation>买家留言</translation>
    </message>
    <message>
        <source>Carrier code</source>
        <translation>快递公司编码</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Order status</source>
        <translation>订单状态</translation>
    </message>
    <message>
        <source>Refund / after-sale status</source>
        <translation>退款/售后状态</translation>
    </message>
    <message>
        <source>Order value (yuan)</source>
        <translation>订单金额（元）</translation>
    </message>
    <message>
        <source>Order time</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Payment number</source>
        <translation>支付单号</translation>
    </message>
    <message>
        <source>Pick-list code</source>
        <translation>拣货单码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Barcodes</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>Weight (g)</source>
        <translation>重量（克）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Declared value (yuan)</source>
        <translation>申报价值（元）</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Scan an order to start.</source>
        <translation>请扫描订单开始。</translation>
    </message>
    <message>
        <source>Order {order_no}: scan each item.</source>
        <translation>订单 {order_no}：请逐件扫描商品。</translation>
    </message>
    <message>
        <source>Unknown order {code}. Check the pick list or import the order.</source>
        <translation>找不到订单 {code}。请核对拣货单或导入订单。</translation>
    </message>
    <message>
        <source>Order {order_no} was already shipped on {when} by {packer} at {station}, {carrier} {tracking_no}. It must not be shipped twice.</source>
        <translation>订单 {order_no} 已于 {when} 由 {packer} 在 {station} 发货，{carrier} {tracking_no}。不得重复发货！</translation>
    </message>
    <message>
        <source>Order {order_no} is on hold: {reason}. Do not pack it.</source>
        <translation>订单 {order_no} 已暂扣：{reason}。请勿打包。</translation>
    </message>
    <message>
        <source>Order {order_no} was cancelled: {reason}. Do not pack it.</source>
        <translation>订单 {order_no} 已取消：{reason}。请勿打包。</translation>
    </message>
    <message>
        <source>Order {order_no} was refunded: {reason}. Do not pack it.</source>
        <translation>订单 {order_no} 已退款：{reason}。请勿打包。</translation>
    </message>
    <message>
        <source>Finish order {order_no} first, or scan CANCEL.</source>
        <translation>请先完成订单 {order_no}，或扫描“取消”。</translation>
    </message>
    <message>
        <source>Order {order_no} is being packed at {bench} by {packer} since {since}. Do not pack it here.</source>
        <translation>订单 {order_no} 正在 {bench} 由 {packer} 打包（自 {since} 起）。请勿在此打包。</translation>
    </message>
    <message>
        <source>The warehouse hub cannot be reached and order {order_no} is not held by this bench. Pack an order leased here, or scan OVERRIDE for a supervisor.</source>
        <translation>无法连接仓库中心，且订单 {order_no} 不属于本工位。请打包分配给本工位的订单，或扫描 OVERRIDE 请主管授权。</translation>
    </message>
    <message>
        <source>{code} is a product. Scan the order first.</source>
        <translation>{code} 是商品条码。请先扫描订单。</translation>
    </message>
    <message>
        <source>{code} looks like a waybill number. Scan the order first.</source>
        <translation>{code} 像是快递单号。请先扫描订单。</translation>
    </message>
    <message>
        <source>{name}: {scanned} of {quantity}.</source>
        <translation>{name}：{scanned}/{quantity}。</translation>
    </message>
    <message>
        <source>Too many {name}: the order needs only {quantity}. Take one out.</source>
        <translation>{name} 多了：此订单只需 {quantity} 件，请拿出一件。</translation>
    </message>
    <message>
        <source>All items checked. Put the parcel on the scale.</source>
        <translation>商品已全部核对。请把包裹放上电子秤。</translation>
    </message>
    <message>
        <source>All items are already checked. Put the parcel on the scale.</source>
        <translation>商品已全部核对过。请把包裹放上电子秤。</translation>
    </message>
    <message>
        <source>Put the parcel on the scale.</source>
        <translation>请把包裹放上电子秤。</translation>
    </message>
    <message>
        <source>Weight {grams} g is within {low}-{high} g.</source>
        <translation>重量 {grams} 克，在 {low}-{high} 克范围内。</translation>
    </message>
    <message>
        <source>Weight {grams} g recorded; no expected weight is known for these items.</source>
        <translation>已记录重量 {grams} 克；这些商品没有参考重量。</translation>
    </message>
    <message>
        <source>{name} ({code}) is not in this order. Put it back.</source>
        <translation>{name}（{code}）不在本订单中。请放回。</translation>
    </message>
    <message>
        <source>Unknown code {code}: no product, order or command has it.</source>
        <translation>未知条码 {code}：不是任何商品、订单或指令。</translation>
    </message>
    <message>
        <source>Weight {grams} g is outside {low}-{high} g (expected {expected} g). Check the items, then take the parcel off the scale and put it back (or scan REWEIGH), or ask a supervisor to scan OVERRIDE.</source>
        <translation>重量 {grams} 克不在 {low}-{high} 克之间（预计 {expected} 克）。请检查商品，然后把包裹拿下电子秤再放回（或扫描“重新称重”），或请主管扫描“主管放行”。</translation>
    </message>
    <message>
        <source>Take the parcel off the scale and put it back.</source>
        <translation>请把包裹拿下电子秤，再重新放上。</translation>
    </message>
    <message>
        <source>Scale disconnected: no weight can be recorded until it is back.</source>
        <translation>电子秤已断开：恢复连接前无法称重。</translation>
    </message>
    <message>
        <source>No carrier is enabled, so this parcel cannot ship. Tell the supervisor to enable a carrier (station carriers set CODE --enable), then take the parcel off the scale and put it back.</source>
        <translation>没有启用的快递公司，此包裹无法发货。请通知主管启用一家快递公司（station carriers set CODE --enable），然后把包裹从秤上拿下再放回。</translation>
    </message>
    <message>
        <source>Order {order_no} would go {carrier} ({code}), a code not in WeChat&apos;s carrier list (target {target}): WeChat would refuse the upload after the parcel left. Do not pack it: tell the supervisor to give the carrier its WeChat code (station carriers list).</source>
        <translation>订单 {order_no} 将由 {carrier}（{code}）发货，但该编码不在微信的快递公司列表中（目标 {target}）：包裹发出后微信会拒绝上传。请勿打包：请主管为该快递公司设置微信编码（station carriers list）。</translation>
    </message>
    <message>
        <source>PACKING STOPPED: another program removed the database&apos;s journal, so new parcels might not be kept. Pack nothing more; close the station and start it again.</source>
        <translation>已停止打包：另一个程序删除了数据库的日志文件，新的包裹记录可能无法保存。请不要再打包；关闭工作站后重新启动。</translation>
    </message>
    <message>
        <source>PACKING STOPPED: the disk failed while reading or saving, so new parcels might not be kept. Pack nothing more; close the station, check the disk, and run station db check.</source>
        <translation>已停止打包：读取或保存时磁盘出错，新的包裹记录可能无法保存。请不要再打包；关闭工作站，检查磁盘，并运行 station db check。</translation>
    </message>
    <message>
        <source>PACKING STOPPED: the database is damaged and nothing more is written to it. Close the station; at its next start it names the backup to restore.</source>
        <translation>已停止打包：数据库已损坏，不再向其写入任何内容。请关闭工作站；下次启动时会指明要恢复的备份。</translation>
    </message>
    <message>
        <source>Scan the pre-printed {carrier} waybill.</source>
        <translation>请扫描预印的{carrier}面单。</translation>
    </message>
    <message>
        <source>{code} is not a valid {carrier} waybill number. Scan the waybill again.</source>
        <translation>{code} 不是有效的{carrier}快递单号，请重新扫描面单。</translation>
    </message>
    <message>
        <source>Waybill {code} is already used by order {order_no}. Use another waybill.</source>
        <translation>快递单号 {code} 已被订单 {order_no} 使用，请换一张面单。</translation>
    </message>
    <message>
        <source>No {carrier} waybill numbers left in the pool. Scan a pre-printed waybill.</source>
        <translation>{carrier}快递单号已用完。请扫描预印面单。</translation>
    </message>
    <message>
        <source>Order {order_no} shipped: {carrier} {tracking_no}, {grams} g.</source>
        <translation>订单 {order_no} 已发货：{carrier} {tracking_no}，{grams} 克。</translation>
    </message>
    <message>
        <source>Order {order_no} NOT recorded, no label printed: the disk is full. Free some space; the station records it by itself when it can (or scan REWEIGH).</source>
        <translation>订单 {order_no} 未记录，未打印面单：磁盘已满。请腾出空间；空间恢复后系统会自动记录（也可扫描“重新称重”）。</translation>
    </message>
    <message>
        <source>Order {order_no} NOT recorded, no label printed: the data folder cannot be written to. Check the disk is not write-protected; the station tries again by itself.</source>
        <translation>订单 {order_no} 未记录，未打印面单：数据文件夹无法写入。请检查磁盘是否写保护；系统会自动重试。</translation>
    </message>
    <message>
        <source>Order {order_no} NOT recorded, no label printed: the disk reported an error. Check the disk or USB drive; the station tries again by itself.</source>
        <translation>订单 {order_no} 未记录，未打印面单：磁盘报告错误。请检查磁盘或 U 盘；系统会自动重试。</translation>
    </message>
    <message>
        <source>Order {order_no} NOT recorded yet: another program kept the database busy. Leave the parcel; the station tries again by itself.</source>
        <translation>订单 {order_no} 尚未记录：数据库正被其他程序占用。请勿移动包裹，系统会自动重试。</translation>
    </message>
    <message>
        <source>Not saved: the disk is full. Free some space, then scan again.</source>
        <translation>未保存：磁盘已满。请腾出空间后再扫描一次。</translation>
    </message>
    <message>
        <source>Not saved: the data folder cannot be written to. Check the disk is not write-protected, then scan again.</source>
        <translation>未保存：数据文件夹无法写入。请检查磁盘是否写保护，然后再扫描一次。</translation>
    </message>
    <message>
        <source>Not saved: the disk reported an error. Check the disk or USB drive, then scan again.</source>
        <translation>未保存：磁盘报告错误。请检查磁盘或 U 盘，然后再扫描一次。</translation>
    </message>
    <message>
        <source>Not saved: another program kept the database busy. Scan again in a moment.</source>
        <translation>未保存：数据库正被其他程序占用。请稍后再扫描一次。</translation>
    </message>
    <message>
        <source>Order {order_no} shipped: {carrier} {tracking_no}, {grams} g. Shipping costs {share} of the order value (limit {limit}): tell the supervisor.</source>
        <translation>订单 {order_no} 已发货：{carrier} {tracking_no}，{grams} 克。运费占订单金额的 {share}（上限 {limit}）：请告知主管。</translation>
    </message>
    <message>
        <source>Label printed for {tracking_no}.</source>
        <translation>{tracking_no} 的面单已打印。</translation>
    </message>
    <message>
        <source>Label for {tracking_no} NOT printed: {reason} Scan REPRINT when fixed.</source>
        <translation>{tracking_no} 的面单未打印：{reason} 排除故障后请扫描“补打”。</translation>
    </message>
    <message>
        <source>Label reprinted for {tracking_no} (reprint {count}).</source>
        <translation>{tracking_no} 的面单已补打（第 {count} 次补打）。</translation>
    </message>
    <message>
        <source>No label to reprint yet.</source>
        <translation>还没有可补打的面单。</translation>
    </message>
    <message>
        <source>{count} labels were recorded but NOT printed (orders {orders}). Scan REPRINT to print them one by one, or find them with F3.</source>
        <translation>有 {count} 张面单已记录但未打印（订单 {orders}）。请扫描“补打”逐张打印，或按 F3 查找。</translation>
    </message>
    <message>
        <source>Printing the label of order {order_no} ({tracking_no}), recorded but never printed. {left} more after it: scan REPRINT again.</source>
        <translation>正在打印订单 {order_no}（{tracking_no}）已记录但未打印的面单。之后还有 {left} 张：请再次扫描“补打”。</translation>
    </message>
    <message>
        <source>Order {order_no} is open: no label reprinted (it would be order {last_order_no}&apos;s). Finish or CANCEL this order first, then scan REPRINT.</source>
        <translation>订单 {order_no} 正在打包：未补打面单（那是订单 {last_order_no} 的面单）。请先完成或“取消”本订单，再扫描“补打”。</translation>
    </message>
    <message>
        <source>The label for {tracking_no} was already reprinted. A supervisor can reprint it from Search.</source>
        <translation>{tracking_no} 的面单已补打过。如需再次补打，请主管在“查找”中操作。</translation>
    </message>
    <message>
        <source>{tracking_no} is in the bag ({scanned} of {expected}).</source>
        <translation>{tracking_no} 已装袋（{scanned}/{expected}）。</translation>
    </message>
    <message>
        <source>All {expected} parcels are in the bag.</source>
        <translation>全部 {expected} 个包裹已装袋。</translation>
    </message>
    <message>
        <source>{tracking_no} is already in the bag.</source>
        <translation>{tracking_no} 已经装袋了。</translation>
    </message>
    <message>
        <source>{tracking_no} is no parcel of this station. Take it out of the bag.</source>
        <translation>{tracking_no} 不是本工位的包裹，请从袋中取出。</translation>
    </message>
    <message>
        <source>{tracking_no} was voided and must not leave. Take it out of the bag.</source>
        <translation>{tracking_no} 已作废，不得发出，请从袋中取出。</translation>
    </message>
    <message>
        <source>{tracking_no} is a {carrier} parcel. Take it out of the bag.</source>
        <translation>{tracking_no} 是{carrier}的包裹，请从袋中取出。</translation>
    </message>
    <message>
        <source>{tracking_no} is not expected in this handover (already handed over or too old). Take it out of the bag.</source>
        <translation>{tracking_no} 不在本次交接中（已交接或时间过久），请从袋中取出。</translation>
    </message>
    <message>
        <source>{tracking_no} is not recorded at the hub: no bench shipped it. Take it out of the bag and give it to the supervisor.</source>
        <translation>{tracking_no} 在总仓没有记录：没有打包台发过此件。请从袋中取出，交给主管。</translation>
    </message>
    <message>
        <source>{tracking_no}: order {order_no} has another live parcel ({others}). Do not hand it over: take it out of the bag and tell the supervisor.</source>
        <translation>{tracking_no}：订单 {order_no} 还有另一个有效包裹（{others}）。不要交接：请从袋中取出并告知主管。</translation>
    </message>
    <message>
        <source>{tracking_no} was already handed over at {station} ({when}). Take it out of the bag.</source>
        <translation>{tracking_no} 已在 {station} 交接（{when}）。请从袋中取出。</translation>
    </message>
    <message>
        <source>Order {order_no} put aside. Scan the next order.</source>
        <translation>订单 {order_no} 已放到一边。请扫描下一单。</translation>
    </message>
    <message>
        <source>No order is open.</source>
        <translation>当前没有打开的订单。</translation>
    </message>
    <message>
        <source>Order {order_no} put on hold. Put the goods aside.</source>
        <translation>订单 {order_no} 已暂扣。请把商品放到一边。</translation>
    </message>
    <message>
        <source>A supervisor must confirm: scan OVERRIDE.</source>
        <translation>需要主管确认：请扫描“主管放行”。</translation>
    </message>
    <message>
        <source>Wrong PIN or not a supervisor. Nothing was overridden.</source>
        <translation>PIN 错误或不是主管，未放行。</translation>
    </message>
    <message>
        <source>Too many wrong PINs: no PIN is taken until {until}.</source>
        <translation>PIN 错误次数过多：{until} 之前不再接受 PIN。</translation>
    </message>
    <message>
        <source>Line {sku} confirmed by {supervisor}: {reason}</source>
        <translation>商品 {sku} 已由 {supervisor} 确认：{reason}</translation>
    </message>
    <message>
        <source>Weight {grams} g accepted by {supervisor}: {reason}</source>
        <translation>重量 {grams} 克已由 {supervisor} 放行：{reason}</translation>
    </message>
    <message>
        <source>Nothing to override now.</source>
        <translation>当前没有需要放行的内容。</translation>
    </message>
    <message>
        <source>Override cancelled. Carry on, or scan OVERRIDE again.</source>
        <translation>已取消主管放行。请继续，或重新扫描“主管放行”。</translation>
    </message>
    <message>
        <source>Unknown command {code}.</source>
        <translation>未知指令 {code}。</translation>
    </message>
    <message>
        <source>{command} cannot be used now.</source>
        <translation>现在不能使用 {command}。</translation>
    </message>
    <message>
        <source>Empty scan ignored.</source>
        <translation>空扫描，已忽略。</translation>
    </message>
    <message>
        <source>CHECK order {order_no}: {flags}. Check it, then scan CONFIRM.</source>
        <translation>请核对订单 {order_no}：{flags}。核对后扫描“确认”。</translation>
    </message>
    <message>
        <source>Check the warnings of order {order_no} first, then scan CONFIRM.</source>
        <translation>请先核对订单 {order_no} 的提醒，然后扫描“确认”。</translation>
    </message>
    <message>
        <source>Warnings of order {order_no} confirmed. Scan each item.</source>
        <translation>订单 {order_no} 的提醒已确认。请逐件扫描商品。</translation>
    </message>
    <message>
        <source>Nothing to confirm now.</source>
        <translation>当前没有需要确认的内容。</translation>
    </message>
    <message>
        <source>Order {order_no} is flagged for {words} in its address: a supervisor confirms it with their PIN.</source>
        <translation>订单 {order_no} 的地址含有 {words}：须由主管输入 PIN 确认。</translation>
    </message>
    <message>
        <source>Warnings of order {order_no} confirmed by {supervisor}: {reason}. Scan each item.</source>
        <translation>订单 {order_no} 的警告已由 {supervisor} 确认：{reason}。请逐件扫描商品。</translation>
    </message>
    <message>
        <source>ALERT: order {order_no} {detail}. Tell the supervisor, then scan CONFIRM.</source>
        <translation>警告：订单 {order_no} {detail}。请通知主管，然后扫描“确认”。</translation>
    </message>
    <message>
        <source>Alert for order {order_no} acknowledged by {packer}.</source>
        <translation>订单 {order_no} 的警告已由 {packer} 确认。</translation>
    </message>
    <message>
        <source>Order {order_no} shipped: {carrier} {tracking_no}, {grams} g. Only {left} {carrier} waybill numbers left: import more.</source>
        <translation>订单 {order_no} 已发货：{carrier} {tracking_no}，{grams} 克。{carrier}快递单号仅剩 {left} 个，请尽快导入。</translation>
    </message>
    <message>
        <source>Fragile: 5-layer carton, wrap each piece in bubble film, fill every gap.</source>
        <translation>易碎品：用五层纸箱，每件单独包气泡膜，空隙全部填满。</translation>
    </message>
    <message>
        <source>Food: vacuum-packed, keep away from liquids and chemicals; chilled or frozen food goes in an insulated box with ice packs.</source>
        <translation>食品：真空包装，远离液体和化学品；冷藏或冷冻食品放入保温箱并加冰袋。</translation>
    </message>
    <message>
        <source>Fresh / chilled: insulated box with ice packs, cold-chain service.</source>
        <translation>生鲜 / 冷藏：保温箱加冰袋，走冷链服务。</translation>
    </message>
    <message>
        <source>Frozen: insulated box, ice packs (or dry ice) on all sides, seal the box, cold-chain service.</source>
        <translation>冷冻：保温箱，四周放冰袋（或干冰），封好箱，走冷链服务。</translation>
    </message>
    <message>
        <source>Clothing: waterproof bag, tag visible, fold neatly.</source>
        <translation>服装：装防水袋，吊牌朝外，叠放整齐。</translation>
    </message>
    <message>
        <source>Electronics: anti-static bag, padding on all sides.</source>
        <translation>电子产品：装防静电袋，四周加缓冲。</translation>
    </message>
    <message>
        <source>Cosmetics: seal liquids in a bag, upright, padding.</source>
        <translation>化妆品：液体密封装袋，直立摆放，加缓冲。</translation>
    </message>
</context>
<context>
    <name>problems</name>
    <message>
        <source>address not recognised: no province, city or district found</source>
        <translation>地址无法识别：找不到省、市或区</translation>
    </message>
    <message>
        <source>province missing or not recognised</source>
        <translation>省份缺失或无法识别</translation>
    </message>
    <message>
        <source>city missing or not recognised</source>
        <translation>城市缺失或无法识别</translation>
    </message>
    <message>
        <source>district missing or not recognised</source>
        <translation>区县缺失或无法识别</translation>
    </message>
    <message>
        <source>{district} exists in several cities: province and city missing</source>
        <translation>多个城市都有{district}：缺少省份和城市</translation>
    </message>
    <message>
        <source>house number missing</source>
        <translation>门牌号缺失</translation>
    </message>
    <message>
        <source>contains {word}: check before shipping</source>
        <translation>含有“{word}”：发货前请核实</translation>
    </message>
    <message>
        <source>{given} is not an official place name: did you mean {standard}?</source>
        <translation>{given} 不是标准地名：是否应为 {standard}？</translation>
    </message>
    <message>
        <source>no phone number: ask the buyer for one (carriers refuse a parcel without)</source>
        <translation>没有电话号码：请向买家索取（快递公司不收没有电话的包裹）</translation>
    </message>
    <message>
        <source>{phone} is not a mobile or landline number: check it with the buyer</source>
        <translation>{phone} 不是手机号或固定电话：请与买家核实</translation>
    </message>
    <message>
        <source>address: {problem}</source>
        <translation>地址：{problem}</translation>
    </message>
    <message>
        <source>phone: {problem}</source>
        <translation>电话：{problem}</translation>
    </message>
    <message>
        <source>suspected duplicate: same recipient, address and items as {orders} within 24 h</source>
        <translation>疑似重复订单：与 {orders} 在 24 小时内的收件人、地址和商品都相同</translation>
    </message>
    <message>
        <source>payment {payment_no} also on order {orders}</source>
        <translation>支付单号 {payment_no} 也用在订单 {orders} 上</translation>
    </message>
    <message>
        <source>upstream says {status} but the parcel is already shipped ({tracking_no}): intercept it with the carrier</source>
        <translation>上游状态为“{status}”，但包裹已发出（{tracking_no}）：请联系快递公司拦截</translation>
    </message>
    <message>
        <source>upstream says {status} but the parcel is already label printed ({tracking_no}): intercept it with the carrier</source>
        <translation>上游状态为“{status}”，但面单已打印（{tracking_no}）：请联系快递公司拦截</translation>
    </message>
    <message>
        <source>order {order_no} was shipped twice, at the hub: {detail}. Stop both parcels and void one</source>
        <translation>订单 {order_no} 在仓库中心有两次发货：{detail}。请拦下两个包裹并作废其中一个</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>e-waybill refused by {provider}: {reason}</source>
        <translation>电子面单被 {provider} 拒绝:{reason}</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>order number is empty</source>
        <translation>订单号为空</translation>
    </message>
    <message>
        <source>order number {text} is too long to print on a 76×130 label: use the shop&apos;s own order number</source>
        <translation>订单号 {text} 太长，76×130 面单打印不下：请使用店铺自己的订单号</translation>
    </message>
    <message>
        <source>differs from line {line} of the same order ({value} / {known})</source>
        <translation>与同一订单第 {line} 行不一致（{value} / {known}）</translation>
    </message>
    <message>
        <source>no recipient</source>
        <translation>没有收件人</translation>
    </message>
    <message>
        <source>no address</source>
        <translation>没有收货地址</translation>
    </message>
    <message>
        <source>rejected with its order (see line {line})</source>
        <translation>随所属订单一起不导入（见第 {line} 行）</translation>
    </message>
    <message>
        <source>SKU is empty</source>
        <translation>商品编码为空</translation>
    </message>
    <message>
        <source>name is empty</source>
        <translation>名称为空</translation>
    </message>
    <message>
        <source>SKU {sku} is also on line {line} with other details</source>
        <translation>商品编码 {sku} 在第 {line} 行也有，但其他信息不同</translation>
    </message>
    <message>
        <source>barcode {barcode} already belongs to SKU {sku}</source>
        <translation>条码 {barcode} 已属于商品编码 {sku}</translation>
    </message>
    <message>
        <source>pick code used by order {order_no}</source>
        <translation>拣货码已被订单 {order_no} 使用</translation>
    </message>
    <message>
        <source>{text} is not a quantity</source>
        <translation>{text} 不是数量</translation>
    </message>
    <message>
        <source>{text} is not a positive whole quantity</source>
        <translation>{text} 不是正整数数量</translation>
    </message>
    <message>
        <source>{text} is too large a quantity</source>
        <translation>数量 {text} 太大</translation>
    </message>
    <message>
        <source>{text} is not an amount in yuan</source>
        <translation>{text} 不是以元为单位的金额</translation>
    </message>
    <message>
        <source>{text} is not a weight in grams</source>
        <translation>{text} 不是以克为单位的重量</translation>
    </message>
    <message>
        <source>{text} is not a date and time like 2026-11-21 13:29:35</source>
        <translation>{text} 不是日期时间，应如 2026-11-21 13:29:35</translation>
    </message>
    <message>
        <source>unknown order status {text}</source>
        <translation>未知的订单状态 {text}</translation>
    </message>
    <message>
        <source>no column for {field}</source>
        <translation>没有对应“{field}”的列</translation>
    </message>
    <message>
        <source>no column for address or detail</source>
        <translation>没有对应“完整地址”或“详细地址”的列</translation>
    </message>
    <message>
        <source>{field}: column {header} not in the file</source>
        <translation>{field}：文件中没有 {header} 列</translation>
    </message>
    <message>
        <source>Give a column mapping (--mapping FILE); the file has: {headers}</source>
        <translation>请提供列映射（--mapping FILE）；文件中的列有：{headers}</translation>
    </message>
    <message>
        <source>not a WeChat Shop order export: expected columns such as 订单号, 商品编码, 商品数量, 收货人 and 详细地址; the file has: {headers}</source>
        <translation>不是微信小店订单导出文件：应有 订单号、商品编码、商品数量、收货人、详细地址 等列；文件中的列有：{headers}</translation>
    </message>
    <message>
        <source>cannot read mapping {path}: {reason}</source>
        <translation>无法读取列映射 {path}：{reason}</translation>
    </message>
    <message>
        <source>mapping {path} is not valid {format}: {reason}</source>
        <translation>列映射 {path} 不是有效的 {format}：{reason}</translation>
    </message>
    <message>
        <source>mapping {path}: needs kind (orders/products) and a columns table</source>
        <translation>列映射 {path}：需要 kind（orders/products）和 columns 表</translation>
    </message>
    <message>
        <source>mapping {path}: unknown fields {fields}</source>
        <translation>列映射 {path}：未知字段 {fields}</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <source>{text} is not a carrier code (letters, digits and _, up to 20)</source>
        <translation>{text} 不是快递公司编码（字母、数字和 _，最多 20 个）</translation>
    </message>
    <message>
        <source>empty: a carrier needs its Chinese name</source>
        <translation>为空：快递公司需要中文名</translation>
    </message>
    <message>
        <source>empty: a carrier needs a tracking-number pattern</source>
        <translation>为空：快递公司需要单号规则</translation>
    </message>
    <message>
        <source>&apos;{pattern}&apos; is not a valid regular expression: {reason}</source>
        <translation>“{pattern}”不是有效的正则表达式：{reason}</translation>
    </message>
    <message>
        <source>&apos;{pattern}&apos; is not a usable regular expression: {reason}</source>
        <translation>“{pattern}”不是可用的正则表达式：{reason}</translation>
    </message>
    <message>
        <source>&apos;{pattern}&apos; is not a valid regular expression: {brace} at position {position} is not part of a repetition such as {{12}} or {{12,13}} (write \{char} for the character itself)</source>
        <translation>“{pattern}”不是有效的正则表达式：第 {position} 位的 {brace} 不属于 {{12}} 或 {{12,13}} 这样的重复次数（要表示这个字符本身，请写 \{char}）</translation>
    </message>
    <message>
        <source>empty: a carrier offers at least one service</source>
        <translation>为空：快递公司至少要提供一种服务</translation>
    </message>
    <message>
        <source>unknown service {name} (known: {known})</source>
        <translation>未知服务 {name}（可用：{known}）</translation>
    </message>
    <message>
        <source>{url} does not start with http:// or https://</source>
        <translation>{url} 不是以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <source>{url} has a space in it</source>
        <translation>{url} 中有空格</translation>
    </message>
    <message>
        <source>unknown placeholder {{{name}}} (use {{tracking_no}} and {{carrier}})</source>
        <translation>未知占位符 {{{name}}}（请用 {{tracking_no}} 和 {{carrier}}）</translation>
    </message>
    <message>
        <source>{url} has no {{tracking_no}} for the waybill number</source>
        <translation>{url} 中没有放运单号的 {{tracking_no}}</translation>
    </message>
    <message>
        <source>{url} has an unmatched {{ or }}</source>
        <translation>{url} 中有不成对的 {{ 或 }}</translation>
    </message>
    <message>
        <source>{text} is not yes or no</source>
        <translation>{text} 不是“是”或“否”</translation>
    </message>
    <message>
        <source>carrier {code} is also on line {line}</source>
        <translation>快递公司 {code} 在第 {line} 行也有</translation>
    </message>
    <message>
        <source>{code} is a new carrier: give its Chinese name (name_zh)</source>
        <translation>{code} 是新快递公司：请填写中文名（name_zh）</translation>
    </message>
    <message>
        <source>{code} is a new carrier: give its tracking-number pattern (pattern)</source>
        <translation>{code} 是新快递公司：请填写单号规则（pattern）</translation>
    </message>
    <message>
        <source>{number} is not a {carrier} waybill number</source>
        <translation>{number} 不是{carrier}的运单号</translation>
    </message>
    <message>
        <source>{length} characters: longer than any waybill number</source>
        <translation>{length} 个字符：比任何运单号都长</translation>
    </message>
    <message>
        <source>cannot read {path}: {reason}</source>
        <translation>无法读取 {path}：{reason}</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <source>{path} is the station&apos;s own database, not a file to import: choose the exported file</source>
        <translation>{path} 是工作站自己的数据库，不是要导入的文件：请选择导出的文件</translation>
    </message>
    <message>
        <source>starts as UTF-8 but byte {position} is not UTF-8</source>
        <translation>文件按 UTF-8 开头，但第 {position} 个字节不是 UTF-8</translation>
    </message>
    <message>
        <source>not a text file in UTF-8 or GBK/GB18030 (byte {position}); save it from Excel as CSV or XLSX</source>
        <translation>不是 UTF-8 或 GBK/GB18030 编码的文本文件（第 {position} 个字节）；请用 Excel 另存为 CSV 或 XLSX</translation>
    </message>
    <message>
        <source>the file holds NUL bytes: it is not a CSV text file</source>
        <translation>文件含有 NUL 字节：不是 CSV 文本文件</translation>
    </message>
    <message>
        <source>the file holds NUL bytes: it is not a text file</source>
        <translation>文件含有 NUL 字节：不是文本文件</translation>
    </message>
    <message>
        <source>line {line}: not valid CSV ({reason})</source>
        <translation>第 {line} 行：不是有效的 CSV（{reason}）</translation>
    </message>
    <message>
        <source>not a readable XLSX workbook ({reason})</source>
        <translation>不是可读取的 XLSX 工作簿（{reason}）</translation>
    </message>
    <message>
        <source>the XLSX workbook is damaged ({reason})</source>
        <translation>XLSX 工作簿已损坏（{reason}）</translation>
    </message>
    <message>
        <source>no header row: the first row must name the columns</source>
        <translation>没有表头行：第一行必须写明各列的名称</translation>
    </message>
    <message>
        <source>a folder, not a file</source>
        <translation>这是文件夹，不是文件</translation>
    </message>
    <message>
        <source>not a regular file (a device, a pipe or a socket): save the data to a file and import that</source>
        <translation>不是普通文件（设备、管道或套接字）：请先把数据保存为文件再导入</translation>
    </message>
    <message>
        <source>the file is {size} MB, more than the {limit} MB allowed (setting import.max_file_mb): split it</source>
        <translation>文件大小 {size} MB，超过允许的 {limit} MB（设置 import.max_file_mb）：请拆分文件</translation>
    </message>
    <message>
        <source>the XLSX unpacks to {size} MB, more than the {limit} MB allowed (setting import.max_unzipped_mb): save it again from Excel, or as CSV</source>
        <translation>该 XLSX 解压后为 {size} MB，超过允许的 {limit} MB（设置 import.max_unzipped_mb）：请用 Excel 重新保存，或另存为 CSV</translation>
    </message>
    <message>
        <source>more than {limit} rows (setting import.max_rows): split the file</source>
        <translation>超过 {limit} 行（设置 import.max_rows）：请拆分文件</translation>
    </message>
    <message>
        <source>more than {limit} columns: is this the right file?</source>
        <translation>超过 {limit} 列：确认是正确的文件吗？</translation>
    </message>
    <message>
        <source>more than {limit} cells: split the file</source>
        <translation>超过 {limit} 个单元格：请拆分文件</translation>
    </message>
    <message>
        <source>line {line} is longer than {limit} characters: not a table of orders or products</source>
        <translation>第 {line} 行超过 {limit} 个字符：不是订单或商品表格</translation>
    </message>
    <message>
        <source>columns {first} and {second} both mean {column}</source>
        <translation>列 {first} 和列 {second} 都表示 {column}</translation>
    </message>
    <message>
        <source>no code column: the first row must name the columns ({columns} or their Chinese labels)</source>
        <translation>没有编码列：第一行必须写明各列的名称（{columns} 或对应的中文名称）</translation>
    </message>
    <message>
        <source>not paid yet upstream ({status})</source>
        <translation>上游尚未付款（{status}）</translation>
    </message>
    <message>
        <source>already shipped upstream ({status})</source>
        <translation>上游已发货（{status}）</translation>
    </message>
    <message>
        <source>already completed upstream ({status})</source>
        <translation>上游订单已完成（{status}）</translation>
    </message>
    <message>
        <source>cancelled upstream ({status})</source>
        <translation>上游已取消（{status}）</translation>
    </message>
    <message>
        <source>on hold upstream ({status})</source>
        <translation>上游已暂扣（{status}）</translation>
    </message>
    <message>
        <source>refunded upstream ({status})</source>
        <translation>上游已退款（{status}）</translation>
    </message>
    <message>
        <source>refund upstream: {refund}</source>
        <translation>上游售后退款：{refund}</translation>
    </message>
    <message>
        <source>voided: {reason}</source>
        <translation>已作废：{reason}</translation>
    </message>
    <message>
        <source>held at {station} by {packer}</source>
        <translation>由 {packer} 在 {station} 暂扣</translation>
    </message>
    <message>
        <source>cancelled in WeChat Shop (status {status})</source>
        <translation>已在微信小店取消（状态 {status}）</translation>
    </message>
    <message>
        <source>already shipped in WeChat Shop (status {status})</source>
        <translation>已在微信小店发货（状态 {status}）</translation>
    </message>
    <message>
        <source>shipped after the backup; check upstream state first (waybill {tracking_no}, backup of {since})</source>
        <translation>备份之后已发货；请先核对上游状态（运单号 {tracking_no}，备份时间 {since}）</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
</TS>
