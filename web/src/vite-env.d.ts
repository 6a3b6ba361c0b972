/// <reference types="vite/client" />
declare const __APP_TIMEZONE__: string;
