<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AnswerRecovery</name>
    <message>
        <source>%1 answer(s) could not be saved when the app last closed and were kept aside. They are back in their conversations.</source>
        <translation>上次关闭应用时有 %1 条回答未能保存，已另行保留。现在它们已回到各自的会话中。</translation>
    </message>
    <message>
        <source>%1 answer(s) kept aside when the app last closed belong to conversations that no longer exist. Their text is in %2.</source>
        <translation>上次关闭应用时另行保留的 %1 条回答所属的会话已不存在。其文本保存在 %2。</translation>
    </message>
    <message>
        <source>%1 answer(s) kept aside when the app last closed still cannot be saved (%2). They stay in %3 and are tried again at the next start.</source>
        <translation>上次关闭应用时另行保留的 %1 条回答仍无法保存（%2）。它们仍保存在 %3，下次启动时会再次尝试。</translation>
    </message>
    <message>
        <source>%1 file(s) in %2 could not be read; they were left there.</source>
        <translation>%2 中有 %1 个文件无法读取，已原样保留。</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>%1 answer(s) were still arriving when the app last closed. What had arrived is kept and marked as interrupted.</source>
        <translation>上次关闭应用时，有 %1 条回答仍在接收中。已收到的内容均已保留，并标记为已中断。</translation>
    </message>
    <message>
        <source>The conversation database was damaged. It was set aside as %1 and a new one was started; nothing was deleted.</source>
        <translation>会话数据库已损坏。原文件已另存为 %1，并新建了一个数据库；没有删除任何内容。</translation>
    </message>
    <message>
        <source>The data folder %1 cannot be used: %2.</source>
        <translation>无法使用数据文件夹 %1：%2。</translation>
    </message>
    <message>
        <source>Your conversations were upgraded to a new format; a backup is at %1.</source>
        <translation>你的会话已升级为新格式，备份位于 %1。</translation>
    </message>
</context>
<context>
    <name>AssistantMenu</name>
    <message>
        <source>Plain chat</source>
        <translation>普通会话</translation>
    </message>
    <message>
        <source>Plain chat (Ctrl+N)</source>
        <translation>普通会话（Ctrl+N）</translation>
    </message>
    <message>
        <source>Assistants</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>%1 (Ctrl+N)</source>
        <translation>%1（Ctrl+N）</translation>
    </message>
    <message>
        <source>Manage assistants…</source>
        <translation>管理助手…</translation>
    </message>
</context>
<context>
    <name>AssistantService</name>
    <message>
        <source>%1 could not be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>AssistantTools</name>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>As in Settings (default)</source>
        <translation>与设置相同（默认）</translation>
    </message>
    <message>
        <source>Chosen here</source>
        <translation>在此选择</translation>
    </message>
    <message>
        <source>Servers and tools</source>
        <translation>服务器和工具</translation>
    </message>
    <message>
        <source>No tool servers: add them in Settings → Tools</source>
        <translation>没有工具服务器：请在 设置 → 工具 中添加</translation>
    </message>
</context>
<context>
    <name>Assistants</name>
    <message>
        <source>Translator (Chinese ↔ English)</source>
        <translation>中英翻译</translation>
    </message>
    <message>
        <source>You are a professional translator. If the text is in Chinese, translate it into natural, idiomatic English; otherwise translate it into natural Simplified Chinese. Keep the meaning, tone, formatting and any code exactly; reply with the translation only.</source>
        <translation>你是一名专业译者。如果文本是中文，请译成自然、地道的英文；否则请译成自然流畅的简体中文。准确保留原意、语气、格式和其中的代码；只回复译文。</translation>
    </message>
    <message>
        <source>Code reviewer</source>
        <translation>代码审查</translation>
    </message>
    <message>
        <source>You are a senior software engineer reviewing code. Point out bugs, unsafe or unclear code, missing error handling and tests, most important first. Quote the lines you mean, explain why, and suggest a concrete fix. Be brief about style.</source>
        <translation>你是一名资深软件工程师，正在审查代码。请按重要程度依次指出缺陷、不安全或不清晰的代码、缺失的错误处理和测试。引用相关代码行，说明原因，并给出具体的修改建议。代码风格方面简要带过即可。</translation>
    </message>
    <message>
        <source>Writing editor</source>
        <translation>写作编辑</translation>
    </message>
    <message>
        <source>You are a careful editor. Improve the clarity, grammar and flow of the text while keeping the author&apos;s voice and meaning, in the language it is written in. Return the edited text, then a short list of the main changes.</source>
        <translation>你是一位细致的编辑。请在保留作者语气和原意的前提下，用原文所用的语言改进文字的清晰度、语法和行文流畅度。先给出修改后的全文，再简要列出主要改动。</translation>
    </message>
</context>
<context>
    <name>AssistantsPage</name>
    <message>
        <source>Assistants</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Presets a new chat can start from (the menu beside New chat). A conversation keeps the settings it started with when its assistant is changed later.</source>
        <translation>新会话可以基于这些预设开始（“新会话”旁边的菜单）。之后修改助手时，已有会话仍保留开始时的设置。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>OpenAI compatible</source>
        <translation>OpenAI 兼容</translation>
    </message>
    <message>
        <source>Anthropic compatible</source>
        <translation>Anthropic 兼容</translation>
    </message>
    <message>
        <source>Use for new chats (Ctrl+N)</source>
        <translation>用于新会话（Ctrl+N）</translation>
    </message>
    <message>
        <source>Save assistant</source>
        <translation>保存助手</translation>
    </message>
    <message>
        <source>API format</source>
        <translation>API 格式</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>%1 (Ctrl+N)</source>
        <translation>%1（Ctrl+N）</translation>
    </message>
    <message>
        <source>New assistant</source>
        <translation>新助手</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
    <message>
        <source>Remove attachment</source>
        <translation>移除附件</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>正在准备…</translation>
    </message>
</context>
<context>
    <name>AttachmentProcessing</name>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 cannot be read: this system has no reader for %2 images.</source>
        <translation>无法读取 %1：本系统没有 %2 图像的读取器。</translation>
    </message>
    <message>
        <source>%1 has too much text (%2 characters); up to %3 can be sent.</source>
        <translation>%1 的文本过多（%2 个字符）；最多可发送 %3 个字符。</translation>
    </message>
    <message>
        <source>%1 is neither text, a PDF nor an image that can be read.</source>
        <translation>%1 既不是文本、PDF，也不是可读取的图像。</translation>
    </message>
    <message>
        <source>%1 is not a PDF that can be read (%2).</source>
        <translation>%1 不是可读取的 PDF（%2）。</translation>
    </message>
    <message>
        <source>%1 is not an image that can be read.</source>
        <translation>%1 不是可读取的图像。</translation>
    </message>
    <message>
        <source>%1 is protected by a password.</source>
        <translation>%1 受密码保护。</translation>
    </message>
    <message>
        <source>%1 is too large (%2); files up to %3 can be attached.</source>
        <translation>%1 太大（%2）；最多可附加 %3 的文件。</translation>
    </message>
    <message>
        <source>PDF files cannot be read: %1</source>
        <translation>无法读取 PDF 文件：%1</translation>
    </message>
    <message>
        <source>The image could not be encoded: %1</source>
        <translation>无法编码该图像：%1</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Jump to latest</source>
        <translation>跳到最新</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message LongCat…  (Enter to send, Shift+Enter for a new line)</source>
        <translation>给 LongCat 发消息…（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Attach images or files</source>
        <translation>附加图片或文件</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>附加</translation>
    </message>
    <message>
        <source>Message LongCat…  (Ctrl+Enter to send, Enter for a new line)</source>
        <translation>给 LongCat 发消息…（Ctrl+Enter 发送，Enter 换行）</translation>
    </message>
    <message>
        <source>Images and documents (%1)</source>
        <translation>图片和文档 (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>使用 %1</translation>
    </message>
    <message>
        <source>Stop (Esc)</source>
        <translation>停止 (Esc)</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
</context>
<context>
    <name>ConnectionTester</name>
    <message>
        <source>no models</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Connected. Models available: %1</source>
        <translation>连接成功。可用模型：%1</translation>
    </message>
</context>
<context>
    <name>ConversationActions</name>
    <message>
        <source>Export conversation</source>
        <translation>导出会话</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>删除会话</translation>
    </message>
    <message>
        <source>Delete “%1” and all its messages? This cannot be undone.</source>
        <translation>要删除“%1”及其中的所有消息吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新会话</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <source>New chat</source>
        <translation>新会话</translation>
    </message>
    <message>
        <source>Conversation title</source>
        <translation>会话标题</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Folder %1, %2 conversations</source>
        <translation>文件夹 %1，%2 个会话</translation>
    </message>
</context>
<context>
    <name>ConversationListView</name>
    <message>
        <source>Conversations</source>
        <translation>会话列表</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>创建副本</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Markdown…</source>
        <translation>Markdown…</translation>
    </message>
    <message>
        <source>HTML…</source>
        <translation>HTML…</translation>
    </message>
    <message>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Move to folder</source>
        <translation>移到文件夹</translation>
    </message>
    <message>
        <source>No folder</source>
        <translation>不放入文件夹</translation>
    </message>
    <message>
        <source>New folder…</source>
        <translation>新建文件夹…</translation>
    </message>
    <message>
        <source>Rename folder</source>
        <translation>重命名文件夹</translation>
    </message>
    <message>
        <source>Search in this folder</source>
        <translation>在此文件夹中搜索</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Delete folder…</source>
        <translation>删除文件夹…</translation>
    </message>
</context>
<context>
    <name>ConversationPage</name>
    <message>
        <source>Retrying in %1 s: %2</source>
        <translation>%1 秒后重试：%2</translation>
    </message>
    <message>
        <source>Retrying in %1 s</source>
        <translation>%1 秒后重试</translation>
    </message>
    <message>
        <source>Copied to the clipboard</source>
        <translation>已复制到剪贴板</translation>
    </message>
    <message>
        <source>Code copied to the clipboard</source>
        <translation>代码已复制到剪贴板</translation>
    </message>
</context>
<context>
    <name>ConversationService</name>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>CrashHook</name>
    <message>
        <source>Something went wrong</source>
        <translation>出了点问题</translation>
    </message>
    <message>
        <source>LongCat Desktop hit an unexpected problem and carried on. Your conversations are safe.</source>
        <translation>LongCat Desktop 遇到了意外问题，但仍在正常运行。你的会话都安然无恙。</translation>
    </message>
    <message>
        <source>Details were written to %1</source>
        <translation>详细信息已写入 %1</translation>
    </message>
</context>
<context>
    <name>DraftAttachments</name>
    <message>
        <source>no text (a scan?)</source>
        <translation>无文本（扫描件？）</translation>
    </message>
    <message>
        <source>%1 does not read images. Switch to %2, or remove the images.</source>
        <translation>%1 无法读取图片。请切换到 %2，或移除这些图片。</translation>
    </message>
    <message>
        <source>%1 does not read images. Remove them, or choose a model that does.</source>
        <translation>%1 无法读取图片。请移除图片，或选择能读取图片的模型。</translation>
    </message>
    <message>
        <source>≈ %1 tokens</source>
        <translation>≈ %1 个 token</translation>
    </message>
    <message>
        <source>≈ %1 / %2 tokens: too long for this model</source>
        <translation>≈ %1 / %2 个 token：超出该模型的上下文</translation>
    </message>
    <message>
        <source>≈ %1 / %2 tokens</source>
        <translation>≈ %1 / %2 个 token</translation>
    </message>
</context>
<context>
    <name>FolderActions</name>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Delete folder</source>
        <translation>删除文件夹</translation>
    </message>
    <message>
        <source>Delete the folder “%1”? Its conversations stay, in no folder.</source>
        <translation>删除文件夹“%1”吗？其中的会话会保留，移出文件夹。</translation>
    </message>
    <message>
        <source>Also delete its %1 conversations</source>
        <translation>同时删除其中的 %1 个会话</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>Fit to window (0)</source>
        <translation>适应窗口 (0)</translation>
    </message>
    <message>
        <source>Zoom out (-)</source>
        <translation>缩小 (-)</translation>
    </message>
    <message>
        <source>Zoom in (+)</source>
        <translation>放大 (+)</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Save image</source>
        <translation>保存图片</translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message>
        <source>Import conversations</source>
        <translation>导入会话</translation>
    </message>
    <message>
        <source>Conversation exports (*.json *.zip)</source>
        <translation>会话导出文件 (*.json *.zip)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Importing %1 conversations…</source>
        <translation>正在导入 %1 个会话…</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove “%1”?</source>
        <translation>移除“%1”吗？</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>设置 (Ctrl+,)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新会话</translation>
    </message>
    <message>
        <source>Started from the assistant %1</source>
        <translation>基于助手“%1”创建</translation>
    </message>
    <message>
        <source>OpenAI format</source>
        <translation>OpenAI 格式</translation>
    </message>
    <message>
        <source>Anthropic format</source>
        <translation>Anthropic 格式</translation>
    </message>
    <message>
        <source>The wire format this conversation uses; change the default in Settings.</source>
        <translation>此会话使用的接口格式；默认格式可在设置中更改。</translation>
    </message>
    <message>
        <source>The tools ran for %1 model turns, the most allowed for one message: the loop stopped. Send a message to carry on, or raise the limit in Settings.</source>
        <translation>工具已运行 %1 轮模型回合，达到单条消息的上限：循环已停止。发送消息即可继续，或在设置中提高上限。</translation>
    </message>
    <message>
        <source>A tool server could not start: %1</source>
        <translation>一个工具服务器无法启动：%1</translation>
    </message>
</context>
<context>
    <name>MessageEditor</name>
    <message>
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <source>Save &amp;&amp; send</source>
        <translation>保存并发送</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
</context>
<context>
    <name>MessageStatus</name>
    <message>
        <source>Duration: {s:.2f} s</source>
        <translation>耗时：{s:.2f} 秒</translation>
    </message>
    <message>
        <source>Finish reason: {reason}</source>
        <translation>结束原因：{reason}</translation>
    </message>
    <message>
        <source>Input tokens: {n}</source>
        <translation>输入 token：{n}</translation>
    </message>
    <message>
        <source>Model: {model}</source>
        <translation>模型：{model}</translation>
    </message>
    <message>
        <source>Output tokens: {n}</source>
        <translation>输出 token：{n}</translation>
    </message>
    <message>
        <source>Speed: {r:.1f} tokens/s</source>
        <translation>速度：{r:.1f} token/秒</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>The answer reached the max_tokens limit and was cut off.</source>
        <translation>回答达到了 max_tokens 上限，后面的内容被截断。</translation>
    </message>
    <message>
        <source>The answer was interrupted: {reason}</source>
        <translation>回答被中断：{reason}</translation>
    </message>
    <message>
        <source>The conversation filled the model&apos;s context window and the answer was cut off. Start a new conversation or shorten this one to go on.</source>
        <translation>会话已占满模型的上下文窗口，回答被截断。请新建会话或缩短当前会话后再继续。</translation>
    </message>
    <message>
        <source>The model declined to answer this.</source>
        <translation>模型拒绝回答此问题。</translation>
    </message>
    <message>
        <source>The platform&apos;s content filter stopped this answer.</source>
        <translation>平台的内容过滤器中止了此回答。</translation>
    </message>
    <message>
        <source>The request failed.</source>
        <translation>请求失败。</translation>
    </message>
    <message>
        <source>The server paused this answer.</source>
        <translation>服务器暂停了此回答。</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <source>Thought for {n} s</source>
        <translation>已思考 {n} 秒</translation>
    </message>
    <message>
        <source>Thoughts</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <source>the connection dropped</source>
        <translation>连接已断开</translation>
    </message>
    <message>
        <source>{n} tokens</source>
        <translation>{n} 个 token</translation>
    </message>
    <message>
        <source>{r:.0f} tok/s</source>
        <translation>{r:.0f} token/秒</translation>
    </message>
    <message>
        <source>{s:.1f} s</source>
        <translation>{s:.1f} 秒</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>Your message</source>
        <translation>你的消息</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>LongCat</source>
        <translation>LongCat</translation>
    </message>
    <message>
        <source>The server asked to wait before answering.</source>
        <translation>服务器要求稍等片刻再回答。</translation>
    </message>
</context>
<context>
    <name>ModelBinding</name>
    <message>
        <source>%1 cannot use tools: the tool servers&apos; tools are not sent.</source>
        <translation>%1 不能使用工具：不会发送工具服务器的工具。</translation>
    </message>
</context>
<context>
    <name>ModelCatalogue</name>
    <message>
        <source>%1 is not offered by the server; using %2.</source>
        <translation>服务器不提供 %1，已改用 %2。</translation>
    </message>
    <message>
        <source>Add your API key to see the platform&apos;s models.</source>
        <translation>添加 API 密钥后即可查看平台提供的模型。</translation>
    </message>
    <message>
        <source>The model list could not be fetched (%1); showing built-in models.</source>
        <translation>无法获取模型列表（%1），现显示内置模型。</translation>
    </message>
    <message>
        <source>The platform listed no models; showing built-in models.</source>
        <translation>平台没有列出任何模型，现显示内置模型。</translation>
    </message>
</context>
<context>
    <name>ModelInfo</name>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>免费</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Text, image</source>
        <translation>文本、图像</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>{inp} in / {out} out per 1M tokens</source>
        <translation>每百万 token：输入 {inp} / 输出 {out}</translation>
    </message>
    <message>
        <source>{size} context</source>
        <translation>{size} 上下文</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Model list unavailable — showing built-in models</source>
        <translation>无法获取模型列表，现显示内置模型</translation>
    </message>
    <message>
        <source>{model} is not offered by the server; using the first listed model</source>
        <translation>服务器不提供 {model}，已改用列表中的第一个模型</translation>
    </message>
    <message>
        <source>Reads: {modalities}</source>
        <translation>可读取：{modalities}</translation>
    </message>
    <message>
        <source>Context: {n} tokens</source>
        <translation>上下文：{n} token</translation>
    </message>
    <message>
        <source>Input: {m}</source>
        <translation>输入：{m}</translation>
    </message>
    <message>
        <source>Output: {m}</source>
        <translation>输出：{m}</translation>
    </message>
    <message>
        <source>Price ({key}): {value} per token</source>
        <translation>价格（{key}）：每 token {value}</translation>
    </message>
</context>
<context>
    <name>ParamsForm</name>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Optional instructions for the model</source>
        <translation>给模型的指示（可选）</translation>
    </message>
    <message>
        <source>Lower is more focused, higher more varied (0–1)</source>
        <translation>越低越专注，越高越多样（0–1）</translation>
    </message>
    <message>
        <source>Nucleus sampling: the share of likely tokens kept (0–1)</source>
        <translation>核采样：保留的高概率 token 所占的比例（0–1）</translation>
    </message>
    <message>
        <source>The longest answer the model may write, in tokens</source>
        <translation>模型单次回答的最大长度，以 token 计</translation>
    </message>
    <message>
        <source>Model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
</context>
<context>
    <name>ParamsPanel</name>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>System prompt, temperature and more for this chat</source>
        <translation>此会话的系统提示词、温度等参数</translation>
    </message>
</context>
<context>
    <name>ParamsPopup</name>
    <message>
        <source>Parameters for this chat</source>
        <translation>此会话的参数</translation>
    </message>
</context>
<context>
    <name>PasteDialog</name>
    <message>
        <source>Paste JSON</source>
        <translation>粘贴 JSON</translation>
    </message>
    <message>
        <source>Paste {&quot;mcpServers&quot;: {...}} from another app.</source>
        <translation>粘贴来自其他应用的 {&quot;mcpServers&quot;: {...}}。</translation>
    </message>
</context>
<context>
    <name>PromptCompletion</name>
    <message>
        <source>Saved prompts</source>
        <translation>已保存的提示词</translation>
    </message>
    <message>
        <source>No saved prompts match</source>
        <translation>没有匹配的提示词</translation>
    </message>
    <message>
        <source>No saved prompts yet</source>
        <translation>还没有保存的提示词</translation>
    </message>
</context>
<context>
    <name>PromptsPage</name>
    <message>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Type / at the start of a message to insert one. Write {{name}} where the text changes each time: Tab then selects each such placeholder in turn.</source>
        <translation>在消息开头输入 / 即可插入提示词。每次会变的部分写成 {{name}}：插入后按 Tab 依次选中每个占位符。</translation>
    </message>
    <message>
        <source>Saved prompts</source>
        <translation>已保存的提示词</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Summarise {{text}} in {{count}} bullet points.</source>
        <translation>用 {{count}} 个要点概括 {{text}}。</translation>
    </message>
    <message>
        <source>Save prompt</source>
        <translation>保存提示词</translation>
    </message>
    <message>
        <source>New prompt</source>
        <translation>新提示词</translation>
    </message>
    <message>
        <source>Prompt library (*.json)</source>
        <translation>提示词库 (*.json)</translation>
    </message>
    <message>
        <source>Export prompts</source>
        <translation>导出提示词</translation>
    </message>
    <message>
        <source>Import prompts</source>
        <translation>导入提示词</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>%1 prompts added</source>
        <translation>已添加 %1 条提示词</translation>
    </message>
</context>
<context>
    <name>ReasoningSection</name>
    <message>
        <source>Reasoning</source>
        <translation>思考过程</translation>
    </message>
</context>
<context>
    <name>RelativeTime</name>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时前</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟前</translation>
    </message>
</context>
<context>
    <name>SearchResultsView</name>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
</context>
<context>
    <name>SecretLineEdit</name>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
</context>
<context>
    <name>ServerForm</name>
    <message>
        <source>Tool server</source>
        <translation>工具服务器</translation>
    </message>
    <message>
        <source>A command on this computer</source>
        <translation>本机上的命令</translation>
    </message>
    <message>
        <source>A URL</source>
        <translation>一个 URL</translation>
    </message>
    <message>
        <source>A command&apos;s environment as NAME=value lines; a URL&apos;s headers as Name: value lines.</source>
        <translation>命令的环境变量写成 NAME=value 行；URL 的请求头写成 Name: value 行。</translation>
    </message>
    <message>
        <source>Keep these values in the keyring</source>
        <translation>将这些值保存在密钥环中</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Command:</source>
        <translation>命令：</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL：</translation>
    </message>
    <message>
        <source>Environment or headers:</source>
        <translation>环境变量或请求头：</translation>
    </message>
    <message>
        <source>Timeout:</source>
        <translation>超时：</translation>
    </message>
    <message>
        <source>Give the server a name.</source>
        <translation>请为服务器命名。</translation>
    </message>
    <message>
        <source>Enter the command that starts the server.</source>
        <translation>请输入启动该服务器的命令。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>New chats</source>
        <translation>新会话</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Your LongCat API key. It is stored in the system keyring, never in a file.</source>
        <translation>你的 LongCat API 密钥。它只保存在系统密钥环中，从不写入文件。</translation>
    </message>
    <message>
        <source>Enter a new key to replace the stored one</source>
        <translation>输入新密钥以替换已保存的密钥</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Where requests go and how they get there.</source>
        <translation>请求发往何处，以及经由什么途径。</translation>
    </message>
    <message>
        <source>This address uses plain http: your key and messages would cross the network unencrypted.</source>
        <translation>此地址使用未加密的 http：你的密钥和消息将以明文在网络上传输。</translation>
    </message>
    <message>
        <source>OpenAI compatible</source>
        <translation>兼容 OpenAI</translation>
    </message>
    <message>
        <source>Anthropic compatible</source>
        <translation>兼容 Anthropic</translation>
    </message>
    <message>
        <source>Use the system proxy</source>
        <translation>使用系统代理</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <source>This proxy:</source>
        <translation>使用此代理：</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>API format</source>
        <translation>API 格式</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>The model and parameters new conversations start with.</source>
        <translation>新建会话时默认使用的模型和参数。</translation>
    </message>
    <message>
        <source>After the first answer, let the model write the title</source>
        <translation>首次回答后，由模型为会话拟定标题</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Enter (Shift+Enter for a new line)</source>
        <translation>Enter（Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Ctrl+Enter (Enter for a new line)</source>
        <translation>Ctrl+Enter（Enter 换行）</translation>
    </message>
    <message>
        <source>Ctrl+Enter suits input methods that confirm a word with Enter.</source>
        <translation>如果输入法用 Enter 确认候选词，请选择 Ctrl+Enter。</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>Send messages with</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
</context>
<context>
    <name>SettingsFlow</name>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>%1 was not changed: %2</source>
        <translation>%1 未更改：%2</translation>
    </message>
    <message>
        <source>The API address</source>
        <translation>API 地址</translation>
    </message>
    <message>
        <source>The proxy address</source>
        <translation>代理地址</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <translation>新建会话</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>新建一个会话 (Ctrl+N)</translation>
    </message>
    <message>
        <source>New chat with an assistant</source>
        <translation>用助手开始新会话</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Search every conversation again</source>
        <translation>重新搜索全部会话</translation>
    </message>
    <message>
        <source>Search conversations (Ctrl+K)</source>
        <translation>搜索会话 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Search in…</source>
        <translation>搜索范围…</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>没有匹配的结果</translation>
    </message>
    <message>
        <source>In “%1”</source>
        <translation>在“%1”中</translation>
    </message>
    <message>
        <source>Search limited to the folder %1; press to search everywhere</source>
        <translation>搜索仅限于文件夹 %1；按下可搜索全部</translation>
    </message>
    <message>
        <source>Search in “%1”</source>
        <translation>在“%1”中搜索</translation>
    </message>
    <message>
        <source>All conversations</source>
        <translation>全部会话</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>文件夹</translation>
    </message>
</context>
<context>
    <name>StatusLineWidget</name>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Open settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <source>Retrying in {n} s</source>
        <translation>{n} 秒后重试</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
</context>
<context>
    <name>StatusPresenter</name>
    <message>
        <source>No API key</source>
        <translation>尚未设置 API 密钥</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>已连接到 %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>无法连接到 %1：%2</translation>
    </message>
    <message>
        <source>%1 refused the key: %2</source>
        <translation>%1 拒绝了该密钥：%2</translation>
    </message>
    <message>
        <source>%1 answered with an error: %2</source>
        <translation>%1 返回了错误：%2</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation>同步失败：%1</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>已同步</translation>
    </message>
    <message>
        <source>Key from LONGCAT_API_KEY</source>
        <translation>密钥来自环境变量 LONGCAT_API_KEY</translation>
    </message>
    <message>
        <source>Key stored in the system keyring</source>
        <translation>密钥已保存在系统密钥环中</translation>
    </message>
    <message>
        <source>No system keyring: the key is kept for this session only</source>
        <translation>没有可用的系统密钥环：密钥仅在本次运行期间保留</translation>
    </message>
    <message>
        <source>Last answer: %1 tokens · %2 tokens/s</source>
        <translation>上一条回答：%1 个 token · %2 token/秒</translation>
    </message>
</context>
<context>
    <name>StreamingDots</name>
    <message>
        <source>Answer in progress</source>
        <translation>正在生成回答</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Keep the same conversations, folders, assistants and saved prompts on every computer through your own WebDAV storage (Nextcloud, ownCloud, a NAS, …). Everything is encrypted with your passphrase before it leaves this computer.</source>
        <translation>通过您自己的 WebDAV 存储（Nextcloud、ownCloud、NAS 等）让每台电脑上的会话、文件夹、助手和已保存的提示词保持一致。所有内容在离开这台电脑之前都会用您的口令加密。</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>生成新口令</translation>
    </message>
    <message>
        <source>Make a strong passphrase, for the first computer that syncs to this folder</source>
        <translation>生成一个高强度口令，用于第一台同步到此文件夹的电脑</translation>
    </message>
    <message>
        <source>WebDAV folder</source>
        <translation>WebDAV 文件夹</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Encryption passphrase</source>
        <translation>加密口令</translation>
    </message>
    <message>
        <source>Write this passphrase down now: it is shown only once and cannot be recovered. Without it, nobody (you included) can read the synced conversations. Enter the same passphrase on your other computers.</source>
        <translation>请立即记下此口令：它只显示一次，且无法找回。没有它，任何人（包括您自己）都无法读取已同步的会话。请在您的其他电脑上输入相同的口令。</translation>
    </message>
    <message>
        <source>Sync automatically (after changes, every few minutes, at start and quit)</source>
        <translation>自动同步（更改之后、每隔几分钟、启动和退出时）</translation>
    </message>
    <message>
        <source>Save and sync</source>
        <translation>保存并同步</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <source>Stored in the keyring; leave empty to keep it</source>
        <translation>已保存在密钥环中；留空则保持不变</translation>
    </message>
    <message>
        <source>Sync is off.</source>
        <translation>同步已关闭。</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Not synced yet.</source>
        <translation>尚未同步。</translation>
    </message>
    <message>
        <source>Last sync %1: %2</source>
        <translation>上次同步（%1）：%2</translation>
    </message>
    <message>
        <source>Last sync %1 failed: %2</source>
        <translation>上次同步（%1）失败：%2</translation>
    </message>
</context>
<context>
    <name>TextPreview</name>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Save file</source>
        <translation>保存文件</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <source>unknown server</source>
        <translation>未知服务器</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>destructive</source>
        <translation>破坏性</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>等待批准</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Running… %1 s</source>
        <translation>运行中… %1 秒</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>%1 · %2 s</source>
        <translation>%1 · %2 秒</translation>
    </message>
    <message>
        <source>Allow once</source>
        <translation>允许一次</translation>
    </message>
    <message>
        <source>Always allow this tool</source>
        <translation>始终允许此工具</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>拒绝</translation>
    </message>
</context>
<context>
    <name>ToolsButton</name>
    <message>
        <source>Tools this conversation uses</source>
        <translation>此会话使用的工具</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>No tool servers: add them in Settings → Tools</source>
        <translation>没有工具服务器：请在 设置 → 工具 中添加</translation>
    </message>
</context>
<context>
    <name>ToolsSettingsPage</name>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>MCP servers give the model tools. They are kept in %1, which you can also edit by hand. A tool runs only after you allow it, unless it is always allowed.</source>
        <translation>MCP 服务器为模型提供工具。它们保存在 %1 中，你也可以手动编辑。工具只有在你允许后才会运行，除非它被设为始终允许。</translation>
    </message>
    <message>
        <source>Server or tool</source>
        <translation>服务器或工具</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Paste JSON…</source>
        <translation>粘贴 JSON…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <source>Open log</source>
        <translation>打开日志</translation>
    </message>
    <message>
        <source>Ask before running</source>
        <translation>运行前询问</translation>
    </message>
    <message>
        <source>Undo “Always allow” for this tool</source>
        <translation>撤销此工具的“始终允许”</translation>
    </message>
    <message>
        <source>Most model turns per message:</source>
        <translation>每条消息最多模型回合数：</translation>
    </message>
    <message>
        <source>New conversations use every server&apos;s tools</source>
        <translation>新会话使用所有服务器的工具</translation>
    </message>
    <message>
        <source>always allowed</source>
        <translation>始终允许</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Ready with %1 tools</source>
        <translation>就绪，共 %1 个工具</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Starts when a conversation needs it</source>
        <translation>在会话需要时启动</translation>
    </message>
    <message>
        <source>%1 of %2 looks like a token written in clear in mcp.json.</source>
        <translation>%2 的 %1 看起来是以明文写在 mcp.json 中的令牌。</translation>
    </message>
    <message>
        <source>Move to keyring</source>
        <translation>移入密钥环</translation>
    </message>
    <message>
        <source>mcp.json was not changed: %1</source>
        <translation>mcp.json 未更改：%1</translation>
    </message>
    <message>
        <source>No keyring is available: the value stays in mcp.json.</source>
        <translation>没有可用的密钥环：该值仍保留在 mcp.json 中。</translation>
    </message>
</context>
<context>
    <name>UnservedModelNotice</name>
    <message>
        <source>%1 is no longer offered by the server, so messages to it would fail. Switch this conversation to %2 to go on; its earlier messages stay.</source>
        <translation>服务器已不再提供 %1，发给它的消息会失败。将此会话切换到 %2 即可继续；之前的消息会保留。</translation>
    </message>
    <message>
        <source>Switch to %1</source>
        <translation>切换到 %1</translation>
    </message>
</context>
<context>
    <name>UserText</name>
    <message>
        <source>%1 could not be read (%2).</source>
        <translation>无法读取 %1（%2）。</translation>
    </message>
    <message>
        <source>A sync file on the server (%1) is damaged or was altered; it was not imported.</source>
        <translation>服务器上的同步文件（%1）已损坏或被篡改，未导入。</translation>
    </message>
    <message>
        <source>A sync of this data folder is already running.</source>
        <translation>此数据文件夹的同步已在进行中。</translation>
    </message>
    <message>
        <source>Connecting to %1 timed out.</source>
        <translation>连接 %1 超时。</translation>
    </message>
    <message>
        <source>Could not connect to %1: %2</source>
        <translation>无法连接到 %1：%2</translation>
    </message>
    <message>
        <source>Could not reach the WebDAV server %1: %2</source>
        <translation>无法连接 WebDAV 服务器 %1：%2</translation>
    </message>
    <message>
        <source>Import cancelled: %1 of %2 conversations imported, %3 already here, %4 skipped as malformed.</source>
        <translation>导入已取消：已导入 %1 个会话（共 %2 个），%3 个已存在，%4 个因格式错误而跳过。</translation>
    </message>
    <message>
        <source>Imported %1 of %2 conversations from %3: %4 already here, %5 skipped as malformed.</source>
        <translation>已从 %3 导入 %1 个会话（共 %2 个）：%4 个已存在，%5 个因格式错误而跳过。</translation>
    </message>
    <message>
        <source>LongCat Desktop is already running (process %1) with the data folder %2.</source>
        <translation>LongCat Desktop 已在使用数据文件夹 %2 运行（进程 %1）。</translation>
    </message>
    <message>
        <source>LongCat Desktop is already running with the data folder %1.</source>
        <translation>LongCat Desktop 已在使用数据文件夹 %1 运行。</translation>
    </message>
    <message>
        <source>Reading or writing the conversation database failed (%1).</source>
        <translation>读写会话数据库失败（%1）。</translation>
    </message>
    <message>
        <source>Skipped “%1”: %2</source>
        <translation>已跳过“%1”：%2</translation>
    </message>
    <message>
        <source>Sync is not set up: enter the address of a WebDAV folder.</source>
        <translation>尚未设置同步：请输入 WebDAV 文件夹的地址。</translation>
    </message>
    <message>
        <source>Sync needs the encryption passphrase (from the keyring or LONGCAT_SYNC_PASSPHRASE).</source>
        <translation>同步需要加密口令（来自密钥环或 LONGCAT_SYNC_PASSPHRASE）。</translation>
    </message>
    <message>
        <source>Synced: %1 conversations and %2 messages received, %3 deletions applied, %4 change sets sent.</source>
        <translation>已同步：收到 %1 个会话和 %2 条消息，应用了 %3 项删除，发送了 %4 个变更集。</translation>
    </message>
    <message>
        <source>Synced: %1 conversations and %2 messages received, %3 folders, assistants or prompts updated, %4 deletions applied, %5 change sets sent.</source>
        <translation>已同步：收到 %1 个会话和 %2 条消息，更新了 %3 个文件夹、助手或提示词，应用了 %4 项删除，发送了 %5 个变更集。</translation>
    </message>
    <message>
        <source>The API key is empty or contains characters that an API key cannot contain.</source>
        <translation>API 密钥为空，或含有 API 密钥中不能出现的字符。</translation>
    </message>
    <message>
        <source>The WebDAV folder %1 does not exist and could not be created.</source>
        <translation>WebDAV 文件夹 %1 不存在，且无法创建。</translation>
    </message>
    <message>
        <source>The WebDAV server %1 did not answer in time. Sync will try again.</source>
        <translation>WebDAV 服务器 %1 未能及时响应。同步将会重试。</translation>
    </message>
    <message>
        <source>The WebDAV server answered HTTP %1 to the request %2. Sync will try again.</source>
        <translation>WebDAV 服务器对请求 %2 返回了 HTTP %1。同步将会重试。</translation>
    </message>
    <message>
        <source>The WebDAV server has no space left (HTTP 507). Nothing here was lost; sync will try again.</source>
        <translation>WebDAV 服务器空间已满（HTTP 507）。本机没有丢失任何内容；同步将会重试。</translation>
    </message>
    <message>
        <source>The WebDAV server refused the user name or password (HTTP %1). Nothing was changed.</source>
        <translation>WebDAV 服务器拒绝了用户名或密码（HTTP %1）。未做任何更改。</translation>
    </message>
    <message>
        <source>The answer failed because of an error in LongCat Desktop (%1). Details are in the log.</source>
        <translation>由于 LongCat Desktop 内部错误（%1），回答失败。详细信息见日志。</translation>
    </message>
    <message>
        <source>The archive cannot be read (%1).</source>
        <translation>无法读取该压缩包（%1）。</translation>
    </message>
    <message>
        <source>The archive holds no conversations.json.</source>
        <translation>该压缩包中没有 conversations.json。</translation>
    </message>
    <message>
        <source>The connection ended before the answer was complete.</source>
        <translation>回答完成前连接已结束。</translation>
    </message>
    <message>
        <source>The connection settings cannot be used: %1</source>
        <translation>连接设置无法使用：%1</translation>
    </message>
    <message>
        <source>The connection was lost before the answer was complete.</source>
        <translation>回答完成前连接已断开。</translation>
    </message>
    <message>
        <source>The conversation database %1 cannot be read (%2).</source>
        <translation>无法读取会话数据库 %1（%2）。</translation>
    </message>
    <message>
        <source>The conversation database %1 cannot be written. Check that the data folder exists and that you may write to it (%2).</source>
        <translation>无法写入会话数据库 %1。请确认数据文件夹存在且你有写入权限（%2）。</translation>
    </message>
    <message>
        <source>The conversation database %1 could not be upgraded (%2). It was left as it was.</source>
        <translation>会话数据库 %1 无法升级（%2），已保持原样。</translation>
    </message>
    <message>
        <source>The conversation database %1 could not be upgraded (%2). It was left as it was. A copy made before the upgrade is at %3.</source>
        <translation>会话数据库 %1 无法升级（%2），已保持原样。升级前的副本位于 %3。</translation>
    </message>
    <message>
        <source>The conversation database %1 is damaged and could not be moved aside (%2).</source>
        <translation>会话数据库 %1 已损坏，且无法移到一旁（%2）。</translation>
    </message>
    <message>
        <source>The conversation database %1 is locked by another program (%2).</source>
        <translation>会话数据库 %1 被另一个程序锁定（%2）。</translation>
    </message>
    <message>
        <source>The conversation database %1 was written by a newer version of LongCat Desktop (format %2; this version understands up to %3). It has not been changed. Please update LongCat Desktop to open it.</source>
        <translation>会话数据库 %1 由更新版本的 LongCat Desktop 写入（格式 %2；此版本最高支持 %3）。数据库未被改动。请更新 LongCat Desktop 后再打开。</translation>
    </message>
    <message>
        <source>The conversation database cannot be written. Check that the data folder exists and that you may write to it (%1).</source>
        <translation>无法写入会话数据库。请确认数据文件夹存在且你有写入权限（%1）。</translation>
    </message>
    <message>
        <source>The conversation database is damaged (%1).</source>
        <translation>会话数据库已损坏（%1）。</translation>
    </message>
    <message>
        <source>The conversation database is damaged.</source>
        <translation>会话数据库已损坏。</translation>
    </message>
    <message>
        <source>The conversation database is locked by another program (%1).</source>
        <translation>会话数据库被另一个程序锁定（%1）。</translation>
    </message>
    <message>
        <source>The data folder %1 cannot be created (%2).</source>
        <translation>无法创建数据文件夹 %1（%2）。</translation>
    </message>
    <message>
        <source>The data folder %1 cannot be written (%2).</source>
        <translation>无法写入数据文件夹 %1（%2）。</translation>
    </message>
    <message>
        <source>The disk is full: the latest changes could not be saved. Free some space; nothing saved earlier has been lost.</source>
        <translation>磁盘已满：最新的更改未能保存。请释放一些空间；之前保存的内容都没有丢失。</translation>
    </message>
    <message>
        <source>The encryption passphrase is not the one this sync folder was set up with. Nothing was changed on either side.</source>
        <translation>加密口令与设置此同步文件夹时使用的口令不一致。两端均未做任何更改。</translation>
    </message>
    <message>
        <source>The export has format version %1; this version of LongCat Desktop reads version %2.</source>
        <translation>该导出文件的格式版本为 %1；此版本的 LongCat Desktop 读取版本 %2。</translation>
    </message>
    <message>
        <source>The file is not a LongCat Desktop conversation export.</source>
        <translation>该文件不是 LongCat Desktop 导出的会话。</translation>
    </message>
    <message>
        <source>The file is not a LongCat Desktop prompt library.</source>
        <translation>该文件不是 LongCat Desktop 提示词库。</translation>
    </message>
    <message>
        <source>The file is not a conversation export of LongCat Desktop, ChatGPT or Claude.</source>
        <translation>该文件不是 LongCat Desktop、ChatGPT 或 Claude 的会话导出。</translation>
    </message>
    <message>
        <source>The file is not a conversation export: its JSON is nested too deeply.</source>
        <translation>该文件不是会话导出：其 JSON 嵌套过深。</translation>
    </message>
    <message>
        <source>The file is not valid JSON (%1).</source>
        <translation>该文件不是有效的 JSON（%1）。</translation>
    </message>
    <message>
        <source>The file is too large to import (%1 MB; at most %2 MB can be imported at once).</source>
        <translation>文件过大，无法导入（%1 MB；一次最多可导入 %2 MB）。</translation>
    </message>
    <message>
        <source>The network failed: %1</source>
        <translation>网络出错：%1</translation>
    </message>
    <message>
        <source>The network timed out.</source>
        <translation>网络超时。</translation>
    </message>
    <message>
        <source>The proxy in the settings cannot be used: %1</source>
        <translation>设置中的代理无法使用：%1</translation>
    </message>
    <message>
        <source>The proxy refused the connection: %1</source>
        <translation>代理拒绝了连接：%1</translation>
    </message>
    <message>
        <source>The running LongCat Desktop uses database format %1 and this command format %2: sync from the app, or close it first.</source>
        <translation>正在运行的 LongCat Desktop 使用数据库格式 %1，而此命令使用格式 %2：请在应用中同步，或先关闭应用。</translation>
    </message>
    <message>
        <source>The server closed the connection unexpectedly.</source>
        <translation>服务器意外关闭了连接。</translation>
    </message>
    <message>
        <source>The server did not answer within %1 seconds.</source>
        <translation>服务器在 %1 秒内没有响应。</translation>
    </message>
    <message>
        <source>The server reported an error (%1) without an explanation.</source>
        <translation>服务器报告了错误（%1），但没有说明原因。</translation>
    </message>
    <message>
        <source>The server reported an error without an explanation.</source>
        <translation>服务器报告了错误，但没有说明原因。</translation>
    </message>
    <message>
        <source>The server returned HTTP %1 without an explanation.</source>
        <translation>服务器返回了 HTTP %1，但没有说明原因。</translation>
    </message>
    <message>
        <source>The server sent nothing for %1 seconds.</source>
        <translation>服务器已 %1 秒没有发送任何内容。</translation>
    </message>
    <message>
        <source>The server stopped answering before its reply was complete.</source>
        <translation>服务器在回复完成前停止了响应。</translation>
    </message>
    <message>
        <source>The server stopped sending for %1 seconds.</source>
        <translation>服务器已停止发送 %1 秒。</translation>
    </message>
    <message>
        <source>The server&apos;s reply contained no answer.</source>
        <translation>服务器的回复中没有回答。</translation>
    </message>
    <message>
        <source>The server&apos;s reply was neither an event stream nor valid JSON.</source>
        <translation>服务器的回复既不是事件流，也不是有效的 JSON。</translation>
    </message>
    <message>
        <source>The server&apos;s reply was not valid JSON.</source>
        <translation>服务器的回复不是有效的 JSON。</translation>
    </message>
    <message>
        <source>The setting %1 is not allowed and was dropped.</source>
        <translation>设置项 %1 不被允许，已删除。</translation>
    </message>
    <message>
        <source>The settings could not be saved to %1 (%2).</source>
        <translation>设置无法保存到 %1（%2）。</translation>
    </message>
    <message>
        <source>The settings file %1 cannot be read (%2).</source>
        <translation>无法读取设置文件 %1（%2）。</translation>
    </message>
    <message>
        <source>The settings file %1 could not be read (%2); defaults are used.</source>
        <translation>无法读取设置文件 %1（%2）；已使用默认设置。</translation>
    </message>
    <message>
        <source>The settings file %1 could not be read (%2); defaults are used. It was kept as %3.</source>
        <translation>无法读取设置文件 %1（%2）；已使用默认设置。原文件已保留为 %3。</translation>
    </message>
    <message>
        <source>The settings file has no values; defaults are used.</source>
        <translation>设置文件中没有任何值；已使用默认设置。</translation>
    </message>
    <message>
        <source>The sync address should start with https:// or http://.</source>
        <translation>同步地址应以 https:// 或 http:// 开头。</translation>
    </message>
    <message>
        <source>The sync folder holds a file %1 that LongCat Desktop did not write. Nothing was changed.</source>
        <translation>同步文件夹中有一个不是由 LongCat Desktop 写入的文件 %1。未做任何更改。</translation>
    </message>
    <message>
        <source>The sync folder was written by a newer version of LongCat Desktop (format %1; this version understands %2). Nothing was changed. Please update LongCat Desktop.</source>
        <translation>同步文件夹由更新版本的 LongCat Desktop 写入（格式 %1；此版本支持到 %2）。未做任何更改。请更新 LongCat Desktop。</translation>
    </message>
    <message>
        <source>Unknown setting %1 ignored.</source>
        <translation>已忽略未知设置项 %1。</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <source>Welcome to LongCat Desktop</source>
        <translation>欢迎使用 LongCat Desktop</translation>
    </message>
    <message>
        <source>Paste your API key</source>
        <translation>粘贴你的 API 密钥</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Save key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <source>The key is kept in your system keyring, never in a file.</source>
        <translation>密钥只保存在系统密钥环中，从不写入文件。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <source>LongCat Desktop talks to the LongCat API Platform with your own API key. Create one at &lt;a href=&quot;{url}&quot;&gt;longcat.chat/platform&lt;/a&gt;, then paste it below.</source>
        <translation>LongCat Desktop 使用你自己的 API 密钥连接 LongCat API 开放平台。请先在 &lt;a href=&quot;{url}&quot;&gt;longcat.chat/platform&lt;/a&gt; 创建密钥，再粘贴到下方。</translation>
    </message>
</context>
<context>
    <name>_EmptyState</name>
    <message>
        <source>Start a conversation</source>
        <translation>开始会话</translation>
    </message>
    <message>
        <source>Ask anything. Ctrl+Enter sends, Enter adds a line.</source>
        <translation>有什么问题尽管问。按 Ctrl+Enter 发送，Enter 换行。</translation>
    </message>
    <message>
        <source>Ask anything. Enter sends, Shift+Enter adds a line.</source>
        <translation>有什么问题尽管问。按 Enter 发送，Shift+Enter 换行。</translation>
    </message>
</context>
<context>
    <name>_FoldedText</name>
    <message>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
</context>
<context>
    <name>_Notice</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>
