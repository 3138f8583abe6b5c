// CSS injected into deep-chat's shadow root (page CSS does not reach it).
export const SHADOW_CSS = `
#messages { padding-bottom: 6px; }
.sa-msg { display: flex; flex-direction: column; gap: 6px; }
.sa-user { align-items: flex-end; }
.sa-bot { align-items: flex-start; }
.sa-bubble {
  padding: 8px 12px; border-radius: 14px; line-height: 1.4;
  overflow-wrap: anywhere; word-break: break-word;
}
.sa-text { white-space: pre-wrap; }
.sa-md { white-space: normal; }
.sa-md p { margin: 0; }
.sa-md p + p, .sa-md p + ul, .sa-md p + ol, .sa-md ul + p, .sa-md ol + p { margin-top: 6px; }
.sa-md ul, .sa-md ol { margin: 4px 0 0; padding-left: 20px; }
.sa-md li + li { margin-top: 2px; }
.sa-bot .sa-bubble { background: #ffffff; color: #1f2933; border: 1px solid #e3e7ec; border-bottom-left-radius: 4px; }
.sa-user .sa-bubble { background: #1d5fd1; color: #ffffff; border-bottom-right-radius: 4px; }
.sa-user a { color: #ffffff; }
.sa-bot a { color: #1d5fd1; }
.sa-bubble.sa-image { padding: 4px; }
.sa-image img { display: block; width: 240px; max-width: 100%; height: auto; max-height: 260px; object-fit: contain; border-radius: 8px; }
.sa-qr-row { display: flex; flex-wrap: wrap; gap: 6px; }
.sa-qr {
  font: inherit; font-size: 14px; padding: 5px 12px; border-radius: 999px; cursor: pointer;
  border: 1px solid #1d5fd1; background: #ffffff; color: #1d5fd1;
}
.sa-qr:hover:not(:disabled) { background: #eaf1fd; }
.sa-qr:focus-visible { outline: 2px solid #1d5fd1; outline-offset: 2px; }
.sa-qr:disabled { cursor: default; border-color: #c9d1db; color: #5b6775; background: #f3f5f8; }
.sa-qr.sa-qr-chosen:disabled { border-color: #1d5fd1; color: #1d5fd1; background: #eaf1fd; }
.sa-fb-row { display: flex; gap: 6px; }
.sa-fb {
  display: inline-flex; align-items: center; justify-content: center; width: 30px; height: 30px; padding: 0;
  border-radius: 50%; border: 1px solid #d9dfe6; background: #ffffff; color: #5b6775; cursor: pointer;
}
.sa-fb:hover { background: #eef2f8; }
.sa-fb:focus-visible { outline: 2px solid #1d5fd1; outline-offset: 2px; }
.sa-fb[aria-pressed="true"] { border-color: #1d5fd1; background: #eaf1fd; color: #1d5fd1; }
.sa-fb[data-value="down"][aria-pressed="true"] { border-color: #a4281c; background: #fdecea; color: #a4281c; }
.sa-card {
  background: #ffffff; border: 1px solid #d9dfe6; border-left: 4px solid #1d5fd1; border-radius: 10px;
  padding: 10px 12px; width: 300px; max-width: 100%; font-size: 14px; color: #1f2933;
}
.sa-card-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 4px 10px; margin-bottom: 6px; }
.sa-card-title { font-weight: 600; white-space: nowrap; }
.sa-card-status { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 999px; background: #e6f4ea; color: #1e7b34; }
.sa-card-status[data-tone="bad"] { background: #fdecea; color: #a4281c; }
.sa-card-status[data-tone="neutral"] { background: #eef2f8; color: #3d4b5c; }
.sa-card-rows { border-collapse: collapse; width: 100%; }
.sa-card-rows th { text-align: left; font-weight: 500; color: #5b6775; padding: 2px 12px 2px 0; vertical-align: top; white-space: nowrap; }
.sa-card-rows td { padding: 2px 0; overflow-wrap: break-word; word-break: break-word; }
.sa-card-items { margin: 8px 0 0; padding-left: 18px; color: #323f4b; }
.sa-card-note { margin: 6px 0 0; font-size: 13px; color: #5b6775; }
.sa-card-rows a { color: #1d5fd1; }
.sa-order-list ul { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.sa-qr.sa-order-row {
  width: 100%; border-radius: 8px; padding: 6px 10px; text-align: left;
  display: grid; grid-template-columns: auto 1fr; align-items: center; gap: 2px 8px;
}
.sa-order-row .sa-order-number { font-weight: 600; }
.sa-order-row .sa-card-status { justify-self: end; }
.sa-order-row .sa-order-details { grid-column: 1 / -1; font-size: 13px; color: #3d4b5c; }
.sa-qr.sa-order-row:disabled .sa-order-details { color: #5b6775; }
.sa-product { display: flex; gap: 10px; align-items: flex-start; }
.sa-product-picture { flex: none; width: 72px; height: 72px; border-radius: 8px; background: #f3f5f8; }
.sa-product-body { min-width: 0; flex: 1; }
.sa-product .sa-card-title { white-space: normal; }
.sa-product-price { font-size: 16px; font-weight: 600; margin-bottom: 4px; }
.sa-notice { font-size: 12px; color: #5b6775; text-align: center; }
.sa-agent { display: flex; flex-direction: row; align-items: flex-end; gap: 8px; }
.sa-avatar {
  flex: none; width: 30px; height: 30px; border-radius: 50%; display: inline-flex;
  align-items: center; justify-content: center; color: #ffffff; font-size: 12px; font-weight: 600;
}
.sa-agent-body { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.sa-agent-name { font-size: 12px; font-weight: 600; color: #0b5d54; }
.sa-agent .sa-bubble { background: #e6f5f2; color: #12332f; border: 1px solid #b9e2da; border-bottom-left-radius: 4px; }
.sa-agent a { color: #0b5d54; }
.sa-typing[data-who="agent"] { background: #e6f5f2; border-color: #b9e2da; }
.sa-typing { display: inline-flex; gap: 4px; padding: 11px 14px; background: #ffffff; border: 1px solid #e3e7ec; border-radius: 14px; border-bottom-left-radius: 4px; }
.sa-typing span { width: 7px; height: 7px; border-radius: 50%; background: #8a96a3; animation: sa-blink 1.2s infinite ease-in-out; }
.sa-typing span:nth-child(2) { animation-delay: .2s; }
.sa-typing span:nth-child(3) { animation-delay: .4s; }
@keyframes sa-blink { 0%, 80%, 100% { opacity: .25; transform: translateY(0); } 40% { opacity: 1; transform: translateY(-3px); } }
@media (prefers-reduced-motion: reduce) { .sa-typing span { animation: none; opacity: .7; } }
`;
